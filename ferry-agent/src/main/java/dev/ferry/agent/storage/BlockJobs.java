package dev.ferry.agent.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.qemu.qmp.QmpClient;
import dev.ferry.qemu.qmp.QmpCommandException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * QEMU block jobs (mirror, backup) as Ferry runs them: always with {@code auto-dismiss: false}, so
 * a finished job stays visible as {@code concluded} together with its error until Ferry has read
 * the outcome and dismisses it. Waiting polls {@code query-block-jobs} instead of listening for
 * events, so an event lost while nobody listened cannot hang a wait.
 */
public final class BlockJobs {
    private static final long POLL_MS = 10;

    private BlockJobs() {}

    /** QEMU's view of one job, or empty if QEMU has no job of that id. */
    public static Optional<JsonNode> find(QmpClient qmp, String jobId) {
        for (JsonNode j : qmp.execute("query-block-jobs")) {
            if (jobId.equals(j.path("device").asText())) return Optional.of(j);
        }
        return Optional.empty();
    }

    /** All jobs whose id starts with {@code prefix}, by id. */
    public static Map<String, JsonNode> withPrefix(QmpClient qmp, String prefix) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode j : qmp.execute("query-block-jobs")) {
            String id = j.path("device").asText();
            if (id.startsWith(prefix)) out.put(id, j);
        }
        return out;
    }

    public static boolean isConcluded(JsonNode job) { return "concluded".equals(job.path("status").asText()); }

    public static boolean isReady(JsonNode job) { return job.path("ready").asBoolean(false); }

    /** QEMU's error message of a job that failed, or null. */
    public static String error(JsonNode job) { return job.hasNonNull("error") ? job.get("error").asText() : null; }

    /** Waits until every job is ready (mirror) or concluded; fails at once if one fails or disappears. */
    public static void awaitReady(QmpClient qmp, Collection<String> jobIds, Duration timeout) {
        await(qmp, jobIds, timeout, true);
    }

    /** Waits until every job has concluded; fails if one ended with an error or disappeared. */
    public static void awaitConcluded(QmpClient qmp, Collection<String> jobIds, Duration timeout) {
        await(qmp, jobIds, timeout, false);
    }

    private static void await(QmpClient qmp, Collection<String> jobIds, Duration timeout, boolean readyIsEnough) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean all = true;
            for (String id : jobIds) {
                JsonNode j = find(qmp, id).orElseThrow(() ->
                        new FerryException(ErrorCode.QEMU_FAILED, "block job " + id + " disappeared"));
                String err = error(j);
                if (err != null) throw new FerryException(ErrorCode.QEMU_FAILED, "block job " + id + " failed: " + err);
                if (!(isConcluded(j) || (readyIsEnough && isReady(j)))) all = false;
            }
            if (all) return;
            if (System.nanoTime() > deadline) {
                throw new FerryException(ErrorCode.QEMU_FAILED, "block jobs " + jobIds + " did not " + (readyIsEnough ? "become ready"
                        : "finish") + " within " + timeout.toSeconds() + " s");
            }
            sleep();
        }
    }

    /**
     * Ends a job whatever its state and removes it: a running job is cancelled ({@code force}: a
     * ready mirror stops at once instead of first syncing), then dismissed once concluded.
     * Ignores a job that does not exist.
     */
    public static void cancelAndDismiss(QmpClient qmp, String jobId, boolean force, Duration timeout) {
        Optional<JsonNode> j = find(qmp, jobId);
        if (j.isEmpty()) return;
        if (!isConcluded(j.get())) {
            try {
                qmp.execute("block-job-cancel", Map.of("device", jobId, "force", force));
            } catch (QmpCommandException e) {
                // it may have concluded in the meantime; the wait below tells
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Optional<JsonNode> now = find(qmp, jobId);
                if (now.isEmpty()) return;
                if (isConcluded(now.get())) break;
                if (System.nanoTime() > deadline) {
                    throw new FerryException(ErrorCode.QEMU_FAILED, "block job " + jobId + " did not end within "
                            + timeout.toSeconds() + " s of being cancelled");
                }
                sleep();
            }
        }
        dismiss(qmp, jobId);
    }

    /** Removes a concluded job; ignores one that is already gone. */
    public static void dismiss(QmpClient qmp, String jobId) {
        try {
            qmp.execute("job-dismiss", Map.of("id", jobId));
        } catch (QmpCommandException e) {
            if (find(qmp, jobId).isPresent()) throw e;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERNAL, "interrupted while waiting for a block job");
        }
    }
}
