package dev.ferry.api.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.error.ErrorBody;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * A small JSON-over-HTTPS client for Ferry's own APIs, on the JDK's HttpClient with the caller's
 * mutual-TLS context. It turns error answers back into the {@link FerryException} the server threw
 * (same code, same message) and transport failures into {@code unreachable} errors that name the
 * peer, so callers handle one exception type whichever side failed.
 */
public final class JsonHttp {
    private final HttpClient http;
    private final URI base;
    private final String peer;
    private final ErrorCode unreachable;
    private final Duration timeout;

    public JsonHttp(SSLContext ssl, URI base, String peer, ErrorCode unreachable, Duration timeout) {
        this.http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1).build();
        this.base = base;
        this.peer = peer;
        this.unreachable = unreachable;
        this.timeout = timeout;
    }

    public URI base() { return base; }

    public <T> T get(String path, Class<T> type) { return send("GET", path, null, mapper().constructType(type)); }

    public <T> T get(String path, TypeReference<T> type) { return send("GET", path, null, mapper().constructType(type)); }

    public <T> T post(String path, Object body, Class<T> type) { return send("POST", path, body, mapper().constructType(type)); }

    public <T> T post(String path, Object body, Duration timeout, Class<T> type) {
        return send("POST", path, body, mapper().constructType(type), timeout);
    }

    public <T> T delete(String path, Class<T> type) { return send("DELETE", path, null, mapper().constructType(type)); }

    /** Opens a line stream (server-sent events or JSON lines); the caller closes it. */
    public Stream<String> lines(String path) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/event-stream").GET().build();
        try {
            HttpResponse<Stream<String>> resp = http.send(req, HttpResponse.BodyHandlers.ofLines());
            if (resp.statusCode() >= 400) {
                String text = String.join("\n", resp.body().toList());
                throw error(resp.statusCode(), text);
            }
            return resp.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(unreachable, "interrupted while talking to " + peer);
        }
    }

    private <T> T send(String method, String path, Object body, JavaType type) {
        return send(method, path, body, type, timeout);
    }

    private <T> T send(String method, String path, Object body, JavaType type, Duration reqTimeout) {
        try {
            HttpRequest.BodyPublisher pub = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(mapper().writeValueAsBytes(body));
            HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(reqTimeout)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .method(method, pub).build();
            HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = resp.body()) {
                byte[] bytes = in.readAllBytes();
                if (resp.statusCode() >= 400) throw error(resp.statusCode(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
                if (type.getRawClass() == Void.class || bytes.length == 0) return null;
                if (type.getRawClass() == byte[].class) {
                    @SuppressWarnings("unchecked")
                    T raw = (T) bytes;
                    return raw;
                }
                if (type.getRawClass() == String.class) {
                    @SuppressWarnings("unchecked")
                    T text = (T) new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                    return text;
                }
                return Json.responses().readValue(bytes, type);
            }
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(unreachable, "interrupted while talking to " + peer);
        }
    }

    private FerryException error(int status, String text) {
        try {
            ErrorBody body = Json.responses().readValue(text, ErrorBody.class);
            if (body.code() != null) return FerryException.fromBody(body);
        } catch (IOException ignored) {
            // not one of our error bodies: fall through
        }
        return new FerryException(ErrorCode.INTERNAL, peer + " answered HTTP " + status);
    }

    private FerryException unreachable(IOException e) {
        String why = e instanceof java.net.ConnectException ? "connection refused (is it running?)"
                : e instanceof java.net.http.HttpTimeoutException ? "no answer in time"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof javax.net.ssl.SSLException || why.contains("certificate") || why.contains("handshake")) {
            return new FerryException(ErrorCode.UNAUTHENTICATED, "TLS handshake with " + peer + " (" + base + ") failed: " + why, e);
        }
        return new FerryException(unreachable, "cannot reach " + peer + " at " + base + ": " + why, e);
    }

    private static ObjectMapper mapper() { return Json.mapper(); }
}
