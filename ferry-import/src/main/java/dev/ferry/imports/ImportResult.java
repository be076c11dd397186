package dev.ferry.imports;

import dev.ferry.api.spec.VmSpec;

/** The outcome of an import (or of its dry run): the spec to define and the report for the operator. */
public record ImportResult(VmSpec spec, ImportReport report) {}
