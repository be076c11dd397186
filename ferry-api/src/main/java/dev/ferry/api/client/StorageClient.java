package dev.ferry.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.storage.CloneRequest;
import dev.ferry.api.storage.DeleteImagesRequest;
import dev.ferry.api.storage.MirrorRequest;
import dev.ferry.api.storage.MirrorStatus;
import dev.ferry.api.storage.MoveDiskRequest;
import dev.ferry.api.storage.MoveDiskResult;
import dev.ferry.api.storage.NbdExportRequest;
import dev.ferry.api.storage.NbdExportResponse;
import dev.ferry.api.storage.TargetDisksRequest;
import dev.ferry.api.storage.TargetDisksResponse;
import dev.ferry.api.storage.VmDisks;
import dev.ferry.api.vm.VmInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The storage half of one agent's API: disks of VMs, disk moves between pools, clones and
 * templates, and the steps of a live migration that copies local disks along (target images, NBD
 * export on the destination, mirror jobs on the source). Built on an {@link AgentClient}'s
 * connection, so whoever holds an agent client ({@code StorageClient.of(agent)}) can use it.
 */
public final class StorageClient {
    /** Copying disks takes as long as the data needs; the HTTP wait is bounded all the same. */
    private static final Duration LONG = Duration.ofHours(2);
    private static final Duration MEDIUM = Duration.ofSeconds(120);

    private final JsonHttp http;

    private StorageClient(JsonHttp http) { this.http = http; }

    public static StorageClient of(AgentClient agent) { return new StorageClient(agent.http); }

    public VmDisks disks(String vm) { return http.get(vm(vm) + "/disks", VmDisks.class); }

    /** Moves a disk to another pool of the same host (live if the VM runs); returns when done. */
    public MoveDiskResult moveDisk(String vm, String disk, MoveDiskRequest req) {
        return http.post(vm(vm) + "/disks/" + enc(disk) + "/move", req, LONG, MoveDiskResult.class);
    }

    /** Clones a VM (stopped or running) on its host; returns the new VM, defined and stopped. */
    public VmInfo clone(String vm, CloneRequest req) { return http.post(vm(vm) + "/clone", req, LONG, VmInfo.class); }

    /** Marks a stopped VM as a template: it can no longer be started, only deployed from. */
    public VmDisks markTemplate(String vm) { return http.post(vm(vm) + "/template", null, MEDIUM, VmDisks.class); }

    /** Defines a new VM from a template (full or linked copy of its disks). */
    public VmInfo deploy(String template, CloneRequest req) { return http.post(vm(template) + "/deploy", req, LONG, VmInfo.class); }

    /** Deletes image files inside the host's pools that no VM defined there uses. */
    public List<String> deleteImages(DeleteImagesRequest req) {
        JsonNode r = http.post("/v1/storage/delete", req, MEDIUM, JsonNode.class);
        return r == null ? List.of() : toList(r.path("deleted"));
    }

    /** Destination: create empty target images for a migration's disks; answers the spec to start QEMU with. */
    public TargetDisksResponse createTargets(TargetDisksRequest req) {
        return http.post("/v1/storage/targets", req, MEDIUM, TargetDisksResponse.class);
    }

    /** Destination: serve the disks of the waiting QEMU over NBD for the source's mirror jobs. */
    public NbdExportResponse startNbdExport(String vm, NbdExportRequest req) {
        return http.post(vm(vm) + "/nbd-export", req, MEDIUM, NbdExportResponse.class);
    }

    /** Destination: close the exports and stop the NBD server; fine if none runs. */
    public void stopNbdExport(String vm) { http.post(vm(vm) + "/nbd-export/stop", null, MEDIUM, Void.class); }

    /** Source: start mirroring the disks to the destination's exports; returns at once. */
    public MirrorStatus startMirror(String vm, MirrorRequest req) {
        return http.post(vm(vm) + "/mirror", req, MEDIUM, MirrorStatus.class);
    }

    public MirrorStatus mirrorStatus(String vm) { return http.get(vm(vm) + "/mirror", MirrorStatus.class); }

    /** Source, after the switchover: check the mirrors ended in sync and remove them. */
    public MirrorStatus finishMirror(String vm) { return http.post(vm(vm) + "/mirror/finish", null, MEDIUM, MirrorStatus.class); }

    /** Source: abandon the mirror jobs (the source disks stay authoritative); fine if none runs. */
    public MirrorStatus cancelMirror(String vm) { return http.post(vm(vm) + "/mirror/cancel", null, MEDIUM, MirrorStatus.class); }

    private static List<String> toList(JsonNode array) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String vm(String name) { return "/v1/vms/" + enc(name); }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
