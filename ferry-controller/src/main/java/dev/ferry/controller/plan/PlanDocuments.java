package dev.ferry.controller.plan;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.spec.SpecValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and checks a plan document: YAML with Ferry's strict Jackson settings (an unknown field is
 * an error, so a typo is reported instead of ignored), then every rule the YAML cannot express
 * (names, modes, limits, the window, waves and dependencies). Every failure is INVALID_PLAN with a
 * message that names the field, e.g. {@code waves[1].vms[0].mode}. The plan-wide options become
 * each VM's {@link MigrationRequest} unless the VM overrides them.
 */
public final class PlanDocuments {
    public static final String AUTO = "auto";

    private PlanDocuments() {}

    public static PlanDefinition parse(String yaml) {
        PlanDocument doc;
        try {
            doc = Json.yaml().readValue(yaml, PlanDocument.class);
        } catch (JsonMappingException e) {
            throw invalid(path(e), e.getOriginalMessage().lines().findFirst().orElse("unreadable"));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INVALID_PLAN, "the plan is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (doc == null) throw invalid("name", "the plan document is empty");
        return check(doc);
    }

    /** Checks a document built in code (an evacuation's) the same way as a written one. */
    public static PlanDefinition check(PlanDocument doc) {
        if (doc.name() == null || doc.name().isBlank()) throw invalid("name", "is required");
        checkMode("mode", doc.mode());
        checkOptions("", doc.maxDowntimeMs(), doc.bandwidthMiBps());
        PlanDefinition.Limits limits = limits(doc.limits());
        if (doc.window() != null) {
            if (doc.window().start() == null) throw invalid("window.start", "is required when a window is given");
            if (doc.window().end() == null) throw invalid("window.end", "is required when a window is given");
            if (!doc.window().end().isAfter(doc.window().start())) throw invalid("window.end", "must be after window.start");
        }
        List<PlanDefinition.Item> items = items(doc);
        checkDependencies(items);
        return new PlanDefinition(doc.name(), onFailure(doc.onFailure()), limits,
                doc.window() == null ? null : doc.window().start(), doc.window() == null ? null : doc.window().end(), items);
    }

    private static List<PlanDefinition.Item> items(PlanDocument doc) {
        if (doc.vms().isEmpty() && doc.waves().isEmpty()) throw invalid("vms", "the plan moves no VM (give vms or waves)");
        List<PlanDefinition.Item> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < doc.vms().size(); i++) {
            PlanDocument.Vm v = doc.vms().get(i);
            String field = "vms[" + i + "]";
            if (v == null) throw invalid(field, "is empty");
            if (v.wave() != null && v.wave() < 1) throw invalid(field + ".wave", "must be at least 1");
            items.add(item(doc, v, v.wave() == null ? 1 : v.wave(), field, seen));
        }
        for (int w = 0; w < doc.waves().size(); w++) {
            PlanDocument.Wave wave = doc.waves().get(w);
            String field = "waves[" + w + "]";
            if (wave == null || wave.vms() == null || wave.vms().isEmpty()) throw invalid(field + ".vms", "a wave needs at least one VM");
            for (int i = 0; i < wave.vms().size(); i++) {
                PlanDocument.Vm v = wave.vms().get(i);
                String f = field + ".vms[" + i + "]";
                if (v == null) throw invalid(f, "is empty");
                if (v.wave() != null) throw invalid(f + ".wave", "a VM listed under waves takes the wave's number");
                items.add(item(doc, v, w + 1, f, seen));
            }
        }
        List<PlanDefinition.Item> ordered = new ArrayList<>(items);
        ordered.sort(java.util.Comparator.comparingInt(PlanDefinition.Item::wave)); // stable: written order within a wave
        return ordered;
    }

    private static PlanDefinition.Item item(PlanDocument doc, PlanDocument.Vm v, int wave, String field, Set<String> seen) {
        if (v.vm() == null || !SpecValidator.NAME.matcher(v.vm()).matches()) throw invalid(field + ".vm", "is missing or not a valid VM name");
        if (!seen.add(v.vm())) throw invalid(field + ".vm", "VM '" + v.vm() + "' is listed twice");
        if (v.to() == null || v.to().isBlank()) throw invalid(field + ".to", "is required (a host name or 'auto')");
        checkMode(field + ".mode", v.mode());
        checkOptions(field + ".", v.maxDowntimeMs(), v.bandwidthMiBps());
        String to = AUTO.equals(v.to()) ? null : v.to();
        MigrationRequest req = new MigrationRequest(v.vm(), to, first(v.maxDowntimeMs(), doc.maxDowntimeMs()),
                first(v.bandwidthMiBps(), doc.bandwidthMiBps()), doc.insecure(), first(v.mode(), first(doc.mode(), MigrationRequest.LIVE)),
                first(v.allowPostcopy(), doc.allowPostcopy()), first(v.allowThrottle(), doc.allowThrottle()), null, null, null,
                first(v.backup(), doc.backup()), null, null);
        return new PlanDefinition.Item(v.vm(), wave, v.dependsOn(), req);
    }

    private static void checkDependencies(List<PlanDefinition.Item> items) {
        Map<String, PlanDefinition.Item> byVm = new HashMap<>();
        for (PlanDefinition.Item i : items) byVm.put(i.vm(), i);
        for (PlanDefinition.Item i : items) {
            for (String d : i.dependsOn()) {
                PlanDefinition.Item dep = byVm.get(d);
                String field = "dependsOn of " + i.vm();
                if (dep == null) throw invalid(field, "'" + d + "' is not a VM of this plan");
                if (dep == i) throw invalid(field, "a VM cannot depend on itself");
                if (dep.wave() > i.wave()) throw invalid(field, "'" + d + "' is in a later wave (" + dep.wave() + ") than " + i.vm() + " (" + i.wave() + ")");
            }
        }
        // Within one wave dependencies must not form a cycle.
        Map<String, Integer> mark = new HashMap<>();
        for (PlanDefinition.Item i : items) cycle(i, byVm, mark, new ArrayList<>());
    }

    private static void cycle(PlanDefinition.Item i, Map<String, PlanDefinition.Item> byVm, Map<String, Integer> mark, List<String> path) {
        Integer m = mark.get(i.vm());
        if (m != null && m == 2) return;
        path.add(i.vm());
        if (m != null) throw invalid("dependsOn of " + i.vm(), "dependencies form a cycle: " + String.join(" -> ", path));
        mark.put(i.vm(), 1);
        for (String d : i.dependsOn()) cycle(byVm.get(d), byVm, mark, path);
        mark.put(i.vm(), 2);
        path.remove(path.size() - 1);
    }

    private static PlanDefinition.Limits limits(PlanDocument.Limits l) {
        PlanDefinition.Limits d = PlanDefinition.Limits.DEFAULT;
        if (l == null) return d;
        return new PlanDefinition.Limits(limit("limits.perSource", l.perSource(), d.perSource()),
                limit("limits.perDestination", l.perDestination(), d.perDestination()),
                limit("limits.perLink", l.perLink(), d.perLink()), limit("limits.perCluster", l.perCluster(), d.perCluster()));
    }

    private static int limit(String field, Integer value, int dflt) {
        if (value == null) return dflt;
        if (value < 1) throw invalid(field, "must be at least 1, not " + value);
        return value;
    }

    private static PlanDefinition.OnFailure onFailure(String s) {
        if (s == null) return PlanDefinition.OnFailure.STOP;
        try {
            return PlanDefinition.OnFailure.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("onFailure", "'" + s + "' is not one of stop, continue, rollback");
        }
    }

    private static void checkMode(String field, String mode) {
        if (mode == null) return;
        if (!List.of(MigrationRequest.LIVE, MigrationRequest.WARM, MigrationRequest.COLD).contains(mode)) {
            throw invalid(field, "'" + mode + "' is not one of live, warm, cold");
        }
    }

    private static void checkOptions(String prefix, Integer maxDowntimeMs, Integer bandwidthMiBps) {
        if (maxDowntimeMs != null && (maxDowntimeMs < 1 || maxDowntimeMs > 60_000)) {
            throw invalid(prefix + "maxDowntimeMs", "must be between 1 and 60000 ms");
        }
        if (bandwidthMiBps != null && bandwidthMiBps < 1) throw invalid(prefix + "bandwidthMiBps", "must be at least 1 MiB/s");
    }

    private static <T> T first(T a, T b) { return a != null ? a : b; }

    /** "waves[1].vms[0].mode" from Jackson's reference chain. */
    private static String path(JsonMappingException e) {
        String p = e.getPath().stream().map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining());
        return p.startsWith(".") ? p.substring(1) : p.isEmpty() ? "(document)" : p;
    }

    static FerryException invalid(String field, String why) {
        return new FerryException(ErrorCode.INVALID_PLAN, "invalid plan: " + field + ": " + why);
    }
}
