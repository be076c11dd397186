package dev.ferry.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The VM and the destination host of every verb that considers moving one VM somewhere
 * ({@code ferry migration start}, {@code ferry migration test}, {@code ferry assess}): the VM as the
 * first parameter and a required {@code --to}. A picocli mixin, like {@link ClientOptions}, so the
 * verbs spell these the same way and share one description.
 */
final class MoveTargetOptions {
    @Parameters(index = "0", paramLabel = "VM")
    String vm;

    @Option(names = "--to", required = true, description = "destination host")
    String to;
}
