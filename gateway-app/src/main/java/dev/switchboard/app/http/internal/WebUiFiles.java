package dev.switchboard.app.http.internal;

import dev.switchboard.core.GatewayException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's few files, served from the class path under {@code /ui/}. Javalin's static
 * file handler builds a Jetty resource factory and a MIME table at start-up (about a tenth of the
 * gateway's start); these files are a handful of known names, read on first request and kept
 * (a name that is not one is looked up again each time, so requests for made-up names keep nothing).
 * Each answer carries an ETag and {@code Cache-Control: max-age=0}, so a browser revalidates and
 * gets 304 while the file is unchanged.
 */
public final class WebUiFiles implements Handler {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    private record File(byte[] bytes, String type, String etag) {}

    private final String classpathDir;
    private final Map<String, File> files = new ConcurrentHashMap<>();

    /** @param classpathDir the resource folder, such as {@code /ui} */
    public WebUiFiles(String classpathDir) {
        this.classpathDir = classpathDir;
    }

    @Override
    public void handle(Context ctx) {
        String name = ctx.pathParamMap().getOrDefault("file", "");
        if (name.isEmpty() && !ctx.path().endsWith("/")) {
            ctx.redirect(ctx.path() + "/", HttpStatus.MOVED_PERMANENTLY); // the page's links are relative
            return;
        }
        File found = files.computeIfAbsent(name.isEmpty() ? "index.html" : name, this::read);
        if (found == null) {
            throw new GatewayException(404, "not_found_error", "File Not Found");
        }
        ctx.header("Cache-Control", "max-age=0");
        ctx.header("ETag", found.etag());
        if (found.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(found.type()).result(found.bytes());
    }

    /** A known file type under the folder, with no way out of it; null for anything else. */
    private File read(String name) {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        if (type == null || !name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*")) {
            return null;
        }
        try (InputStream in = WebUiFiles.class.getResourceAsStream(classpathDir + "/" + name)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            return new File(bytes, type, etag(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
