package dev.ferry.api.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.transfer.ReceiveRequest;
import dev.ferry.api.transfer.ReceiveTicket;
import dev.ferry.api.transfer.SendRequest;
import dev.ferry.api.transfer.TransferStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Cold disk copies between agents (verified, sparse, resumable; see the agent's
 * {@code dev.ferry.agent.transfer.TransferApi}). The whole copy of "disk D of stopped VM V from
 * host A into pool P of host B" is {@link #copyDisk}; the single steps are here as well:
 *
 * <pre>{@code
 * ReceiveTicket t = TransferClient.of(b).prepareReceive(new ReceiveRequest(id, "default", "vm1-data.qcow2", QCOW2));
 * TransferClient.of(a).sendDisk("vm1", "data", new SendRequest(id, t.address(), t.port(), t.token(), true, null));
 * // poll a.outgoing(id) / b.incoming(id) until isFinished(); b's status has the final path and digest
 * }</pre>
 */
public final class TransferClient {
    private final JsonHttp http;

    private TransferClient(JsonHttp http) { this.http = http; }

    public static TransferClient of(AgentClient agent) { return new TransferClient(agent.http); }

    /** Receiving host: listen for one image into a pool; same id again returns the same ticket (or resumes). */
    public ReceiveTicket prepareReceive(ReceiveRequest req) { return http.post("/v1/transfers/incoming", req, ReceiveTicket.class); }

    public TransferStatus incoming(String id) { return http.get("/v1/transfers/incoming/" + enc(id), TransferStatus.class); }

    /** Receiving host: stop and delete the partial image. */
    public TransferStatus cancelIncoming(String id) { return http.delete("/v1/transfers/incoming/" + enc(id), TransferStatus.class); }

    /** Sending host: start sending a disk of a stopped VM (answers at once, HTTP 202). */
    public TransferStatus sendDisk(String vm, String diskId, SendRequest req) {
        return http.post(AgentClient.vm(vm) + "/disks/" + enc(diskId) + "/send", req, Duration.ofSeconds(120), TransferStatus.class);
    }

    public TransferStatus outgoing(String id) { return http.get("/v1/transfers/outgoing/" + enc(id), TransferStatus.class); }

    public TransferStatus cancelOutgoing(String id) { return http.delete("/v1/transfers/outgoing/" + enc(id), TransferStatus.class); }

    public List<TransferStatus> list() { return http.get("/v1/transfers", new TypeReference<List<TransferStatus>>() {}); }

    /**
     * Copies disk {@code diskId} of the stopped VM {@code vm} from agent {@code from} into
     * {@code target} (pool, file name, format) on agent {@code to} and waits until both sides
     * report done. Returns the receiver's status: {@code path()} is the new image, {@code digest()}
     * the SHA-256 image digest both sides agreed on. Calling it again with the same transfer id
     * after a failure resumes the copy. Throws IO_ERROR when the copy fails or times out.
     *
     * @param maxBandwidth bytes per second, null for uncapped
     */
    public static TransferStatus copyDisk(AgentClient from, AgentClient to, String vm, String diskId, ReceiveRequest target,
                                          boolean compress, Long maxBandwidth, Duration timeout) {
        TransferClient src = of(from);
        TransferClient dst = of(to);
        ReceiveTicket t = dst.prepareReceive(target);
        src.sendDisk(vm, diskId, new SendRequest(t.transferId(), t.address(), t.port(), t.token(), compress, maxBandwidth));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TransferStatus s = src.outgoing(t.transferId());
            if (s.isFinished()) {
                if (!s.isDone()) throw new FerryException(ErrorCode.IO_ERROR, "copy of disk '" + diskId + "' of " + vm + " failed: " + s.error());
                TransferStatus r = dst.incoming(t.transferId());
                if (!r.isDone()) throw new FerryException(ErrorCode.IO_ERROR, "the receiver reports " + r.state() + ": " + r.error());
                return r;
            }
            if (System.nanoTime() > deadline) {
                src.cancelOutgoing(t.transferId());
                throw new FerryException(ErrorCode.IO_ERROR, "copy of disk '" + diskId + "' of " + vm + " did not finish within " + timeout);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FerryException(ErrorCode.IO_ERROR, "interrupted while copying disk '" + diskId + "'");
            }
        }
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
