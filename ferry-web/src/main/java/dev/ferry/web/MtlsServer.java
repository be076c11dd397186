package dev.ferry.web;

import dev.ferry.api.error.ErrorBody;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS server the agent and the controller serve their APIs with. It has exactly one connector,
 * TLS with a mandatory client certificate that must chain to the cluster CA (the SSLContext's trust
 * store), so a client without one is refused during the handshake, before any route runs. Errors
 * are mapped in one place: a {@link FerryException} becomes its catalogue status and
 * {@link ErrorBody}; anything else is logged and answered as {@code INTERNAL} without a stack trace.
 */
public final class MtlsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MtlsServer.class);

    private final Javalin app;
    private ServerConnector connector;

    private MtlsServer(SSLContext sslContext, String host, int port, Consumer<JavalinConfig> routes) {
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.jetty.addConnector((server, httpConfig) -> {
                connector = tlsConnector(server, httpConfig, sslContext, host, port);
                return connector;
            });
            config.routes.exception(FerryException.class, (e, ctx) -> {
                ctx.status(e.code().httpStatus()).json(e.toBody());
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected error serving {} {}", ctx.method(), ctx.path(), e);
                ErrorBody body = new FerryException(ErrorCode.INTERNAL, "internal error: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())).toBody();
                ctx.status(500).json(body);
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    ctx.json(new ErrorBody(ErrorCode.NOT_FOUND.name(), "no such endpoint: " + ctx.method() + " " + ctx.path(), false));
                }
            });
            routes.accept(config);
        });
    }

    /** Starts serving; {@code port} 0 picks a free port (see {@link #port()}). */
    public static MtlsServer start(SSLContext sslContext, String host, int port, Consumer<JavalinConfig> routes) {
        MtlsServer s = new MtlsServer(sslContext, host, port, routes);
        s.app.start();
        return s;
    }

    public int port() { return connector.getLocalPort(); }

    public Javalin javalin() { return app; }

    @Override
    public void close() { app.stop(); }

    private static ServerConnector tlsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration httpConfig,
                                          SSLContext sslContext, String host, int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(sslContext);
        ssl.setNeedClientAuth(true);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(httpConfig);
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        https.addCustomizer(src);
        ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        c.setHost(host);
        c.setPort(port);
        return c;
    }
}
