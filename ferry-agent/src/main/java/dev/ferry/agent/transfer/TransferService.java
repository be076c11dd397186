package dev.ferry.agent.transfer;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.vm.DiskLeases;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.transfer.ReceiveRequest;
import dev.ferry.api.transfer.ReceiveTicket;
import dev.ferry.api.transfer.SendRequest;
import dev.ferry.api.transfer.TransferStatus;
import dev.ferry.api.vm.VmState;
import dev.ferry.qemu.img.ImageInspector;
import dev.ferry.qemu.img.QemuImg;
import dev.ferry.transfer.DiskReceiver;
import dev.ferry.transfer.DiskSender;
import dev.ferry.transfer.SourceImage;
import dev.ferry.transfer.TransferProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of cold disk copies between hosts ({@link dev.ferry.transfer}): the receiving
 * agent opens a {@link DiskReceiver} into one of its pools, the sending agent streams one disk of
 * a stopped VM to it. Both are identified by the caller's transfer id; asking again with the same
 * id is idempotent while a transfer runs and resumes it (from the receiver's journal) after it
 * failed or an agent restarted. The sender leases the disk, so the VM cannot start meanwhile.
 * Every transfer's last status is kept in the state dir ({@link TransferRecords}), so after an
 * agent restart its predecessor's transfers are still reported (failed with AGENT_RESTARTED if
 * they had not ended) and a receive's partial files can be resumed or cancelled.
 */
public final class TransferService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransferService.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
    private static final int WINDOW = 4 << 20;

    private final AgentConfig config;
    private final VmManager vms;
    private final SSLContext ssl;
    private final QemuImg qemuImg;
    private final TransferRecords records;
    private final Map<String, Incoming> incoming = new ConcurrentHashMap<>();
    private final Map<String, Outgoing> outgoing = new ConcurrentHashMap<>();
    private final ExecutorService senders = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "disk-sender");
        t.setDaemon(true);
        return t;
    });

    private record Incoming(DiskReceiver receiver, ReceiveTicket ticket) {}

    private record Outgoing(DiskSender sender, TransferProgress progress) {}

    public TransferService(AgentConfig config, VmManager vms, SSLContext ssl, QemuImg qemuImg) {
        this.config = config;
        this.vms = vms;
        this.ssl = ssl;
        this.qemuImg = qemuImg;
        this.records = new TransferRecords(Path.of(config.stateDir()).resolve("transfers"));
    }

    /** Receiver: opens (or returns the open) listener for one image into a pool. */
    public synchronized ReceiveTicket prepareReceive(ReceiveRequest req) {
        if (req == null || req.transferId() == null || !ID.matcher(req.transferId()).matches()) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "transferId must be 1-64 letters, digits, '-' or '_'");
        }
        if (req.fileName() == null || !FILE.matcher(req.fileName()).matches() || req.fileName().contains("..")) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "fileName must be a plain file name (letters, digits, '.', '-', '_')");
        }
        if (req.format() == null) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "format is required (raw or qcow2)");
        Incoming existing = incoming.get(req.transferId());
        if (existing != null) {
            String state = existing.receiver().progress().state();
            if (!state.equals("failed") && !state.equals("cancelled")) return existing.ticket();
            incoming.remove(req.transferId());
        }
        AgentConfig.Pool pool = config.pools().stream().filter(p -> p.name().equals(req.pool())).findFirst()
                .orElseThrow(() -> new FerryException(ErrorCode.INVALID_ARGUMENT, "host " + config.name() + " has no pool '"
                        + req.pool() + "' (pools: " + config.pools().stream().map(AgentConfig.Pool::name).toList() + ")"));
        Path target = Path.of(pool.path()).resolve(req.fileName());
        if (Files.exists(target)) {
            throw new FerryException(ErrorCode.INVALID_STATE, target + " already exists on " + config.name());
        }
        String address = config.migrationAddressOrListen();
        DiskReceiver r = DiskReceiver.open(new DiskReceiver.Config(req.transferId(), target, req.format(), ssl, address, qemuImg,
                120_000));
        ReceiveTicket ticket = new ReceiveTicket(req.transferId(), address, r.port(), r.token(), target.toString());
        incoming.put(req.transferId(), new Incoming(r, ticket));
        records.takenUp("receive", req.transferId());
        records.seen(r.progress().status());
        LOG.info("transfer {}: receiving {} on {}:{}", req.transferId(), target, address, r.port());
        return ticket;
    }

    public TransferStatus incoming(String id) {
        Incoming in = incoming.get(id);
        if (in == null) return records.past("receive", id).orElseThrow(() -> notFound("incoming", id));
        return records.seen(in.receiver().progress().status());
    }

    /** Receiver: stops listening and deletes the partial image (a finished image is kept), also of a receive the previous agent left. */
    public TransferStatus cancelIncoming(String id) {
        Incoming in = incoming.get(id);
        if (in == null) return records.cancelPastReceive(records.past("receive", id).orElseThrow(() -> notFound("incoming", id)));
        in.receiver().cancel();
        return records.seen(in.receiver().progress().status());
    }

    /** Sender: starts copying disk {@code diskId} of the stopped VM {@code vm}; answers at once. */
    public synchronized TransferStatus send(String vm, String diskId, SendRequest req) {
        if (req == null || req.transferId() == null || !ID.matcher(req.transferId()).matches()) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "transferId must be 1-64 letters, digits, '-' or '_'");
        }
        if (req.address() == null || req.port() <= 0 || req.token() == null) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "address, port and token (from the receiver's ticket) are required");
        }
        Outgoing running = outgoing.get(req.transferId());
        if (running != null && !running.progress().status().isFinished()) return running.progress().status();
        VmSpec spec = vms.spec(vm);
        DiskSpec disk = spec.disks().stream().filter(d -> d.id().equals(diskId)).findFirst()
                .orElseThrow(() -> new FerryException(ErrorCode.NOT_FOUND, "VM '" + vm + "' has no disk '" + diskId + "'"));
        String holder = "transfer " + req.transferId() + " of VM '" + vm + "'";
        Path leased = vms.locks().with(vm, () -> {
            if (vms.show(vm).state() != VmState.SHUTOFF) {
                throw new FerryException(ErrorCode.VM_RUNNING, "VM '" + vm + "' must be stopped to copy its disks cold");
            }
            return DiskLeases.take(Path.of(disk.path()), holder);
        });
        try {
            ImageInspector inspector = new ImageInspector(config.pools().stream().map(p -> Path.of(p.path())).toList());
            ImageInspector.Report report = inspector.inspectAndCrossCheck(Path.of(disk.path()), disk.format(), qemuImg);
            SourceImage source = SourceImage.open(report, qemuImg, WINDOW, report.pool());
            TransferProgress progress = new TransferProgress(req.transferId(), "send", disk.path());
            DiskSender.Options opts = DiskSender.Options.defaults().withCompress(req.compressOrDefault())
                    .withBandwidth(req.maxBandwidthOrUncapped()).withRetry(20, Duration.ofSeconds(1));
            DiskSender sender = new DiskSender(ssl, req.address(), req.port(), req.token(), source, opts, progress);
            outgoing.put(req.transferId(), new Outgoing(sender, progress));
            records.takenUp("send", req.transferId());
            records.seen(progress.status());
            senders.submit(() -> {
                try {
                    sender.run();
                    LOG.info("transfer {}: sent disk '{}' of {} ({})", req.transferId(), diskId, vm, progress.status());
                } catch (RuntimeException e) {
                    LOG.warn("transfer {}: sending disk '{}' of {} failed: {}", req.transferId(), diskId, vm, e.getMessage());
                } finally {
                    source.close();
                    DiskLeases.release(leased, holder);
                    records.seen(progress.status());
                }
            });
            return progress.status();
        } catch (RuntimeException e) {
            DiskLeases.release(leased, holder);
            throw e;
        }
    }

    public TransferStatus outgoing(String id) {
        Outgoing o = outgoing.get(id);
        if (o == null) return records.past("send", id).orElseThrow(() -> notFound("outgoing", id));
        return records.seen(o.progress().status());
    }

    /** Sender: stops sending; a send of the previous agent has nothing left to stop and is reported as it was. */
    public TransferStatus cancelOutgoing(String id) {
        Outgoing o = outgoing.get(id);
        if (o == null) return records.past("send", id).orElseThrow(() -> notFound("outgoing", id));
        o.sender().cancel();
        return records.seen(o.progress().status());
    }

    /** This agent's transfers, then those of the previous agent on this state dir not taken up again. */
    public List<TransferStatus> list() {
        return java.util.stream.Stream.of(outgoing.values().stream().map(o -> records.seen(o.progress().status())),
                incoming.values().stream().map(i -> records.seen(i.receiver().progress().status())),
                records.past().stream()).flatMap(x -> x).toList();
    }

    private FerryException notFound(String direction, String id) {
        return new FerryException(ErrorCode.NOT_FOUND, "no " + direction + " transfer '" + id + "' on " + config.name());
    }

    /** Stops listeners and senders; partial images stay for a resume by the next agent. */
    @Override
    public void close() {
        outgoing.values().forEach(o -> o.sender().cancel());
        incoming.values().forEach(i -> i.receiver().close());
        senders.shutdownNow();
    }
}
