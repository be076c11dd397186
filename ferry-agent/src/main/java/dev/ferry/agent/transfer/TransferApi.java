package dev.ferry.agent.transfer;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.transfer.ReceiveRequest;
import dev.ferry.api.transfer.SendRequest;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Routes of cold disk copies between agents:
 *
 * <pre>
 * POST   /v1/transfers/incoming            ReceiveRequest -> 201 ReceiveTicket   (receiving host)
 * GET    /v1/transfers/incoming/{id}       -> TransferStatus
 * DELETE /v1/transfers/incoming/{id}       -> TransferStatus (cancelled; partial image deleted)
 * POST   /v1/vms/{name}/disks/{disk}/send  SendRequest -> 202 TransferStatus   (sending host, VM stopped)
 * GET    /v1/transfers/outgoing/{id}       -> TransferStatus
 * DELETE /v1/transfers/outgoing/{id}       -> TransferStatus (cancelled)
 * GET    /v1/transfers                     -> [TransferStatus]
 * </pre>
 */
public final class TransferApi {
    private final TransferService transfers;

    public TransferApi(TransferService transfers) { this.transfers = transfers; }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.get("/v1/transfers", ctx -> ctx.json(transfers.list()));
        r.post("/v1/transfers/incoming", ctx -> ctx.status(201).json(transfers.prepareReceive(body(ctx, ReceiveRequest.class))));
        r.get("/v1/transfers/incoming/{id}", ctx -> ctx.json(transfers.incoming(ctx.pathParam("id"))));
        r.delete("/v1/transfers/incoming/{id}", ctx -> ctx.json(transfers.cancelIncoming(ctx.pathParam("id"))));
        r.post("/v1/vms/{name}/disks/{disk}/send", ctx -> ctx.status(202)
                .json(transfers.send(ctx.pathParam("name"), ctx.pathParam("disk"), body(ctx, SendRequest.class))));
        r.get("/v1/transfers/outgoing/{id}", ctx -> ctx.json(transfers.outgoing(ctx.pathParam("id"))));
        r.delete("/v1/transfers/outgoing/{id}", ctx -> ctx.json(transfers.cancelOutgoing(ctx.pathParam("id"))));
    }

    private static <T> T body(Context ctx, Class<T> type) {
        try {
            return Json.mapper().readValue(ctx.body(), type);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "request body is not a valid " + type.getSimpleName() + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
