package dev.switchboard.simulator.internal.http;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/form-data} body as it streams, each part's content into the sink its name picks, so an
 * upload is never held whole (as the multipart parsers of FastAPI and cpp-httplib spool theirs).
 */
public final class MultipartForm {
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]+)\"|[^;\\s]+)");
    private static final Pattern NAME = Pattern.compile("(?i)content-disposition:[^\\r\\n]*;\\s*name=\"([^\"]*)\"");
    private static final int HEADERS_LIMIT = 16 * 1024;

    /** Picks where the content of the part named {@code name} goes. */
    @FunctionalInterface
    public interface Parts {
        OutputStream sink(String name);
    }

    private MultipartForm() {}

    /**
     * Reads the whole body.
     *
     * @throws IllegalArgumentException when the content type names no boundary or the body is not a complete form
     */
    public static void read(InputStream body, String contentType, Parts parts) throws IOException {
        Matcher boundary = BOUNDARY.matcher(contentType);
        if (!boundary.find()) {
            throw new IllegalArgumentException("the content type names no multipart boundary");
        }
        byte[] delimiter = ("\r\n--" + (boundary.group(2) != null ? boundary.group(2) : boundary.group(1)))
                .getBytes(StandardCharsets.ISO_8859_1);
        int[] fallback = fallback(delimiter);
        int matched = 2; // the body starts at a delimiter with no CRLF before it
        OutputStream sink = OutputStream.nullOutputStream(); // the preamble
        StringBuilder headers = null; // while reading a part's headers
        byte[] chunk = new byte[64 * 1024];
        for (int n; (n = body.read(chunk)) != -1; ) {
            for (int i = 0; i < n; i++) {
                byte b = chunk[i];
                if (headers != null) {
                    headers.append((char) (b & 0xff));
                    if (headers.length() == 2 && headers.toString().equals("--")) {
                        sink.close();
                        body.transferTo(OutputStream.nullOutputStream()); // the epilogue
                        return;
                    }
                    if (headers.length() > HEADERS_LIMIT) {
                        throw new IllegalArgumentException("a part's headers are too long");
                    }
                    if (headers.length() >= 4
                            && "\r\n\r\n".contentEquals(headers.subSequence(headers.length() - 4, headers.length()))) {
                        Matcher name = NAME.matcher(headers);
                        sink = new BufferedOutputStream(parts.sink(name.find() ? name.group(1) : ""), 64 * 1024);
                        headers = null;
                    }
                    continue;
                }
                while (matched > 0 && delimiter[matched] != b) {
                    int back = fallback[matched - 1];
                    sink.write(delimiter, 0, matched - back); // what matched so far was content after all
                    matched = back;
                }
                if (delimiter[matched] == b) {
                    matched++;
                } else {
                    sink.write(b);
                }
                if (matched == delimiter.length) {
                    sink.close();
                    matched = 0;
                    headers = new StringBuilder();
                }
            }
        }
        throw new IllegalArgumentException("the form ends before its closing boundary");
    }

    /** For each prefix of the pattern, the length of its longest proper prefix that is also its suffix. */
    private static int[] fallback(byte[] pattern) {
        int[] table = new int[pattern.length];
        for (int i = 1, k = 0; i < pattern.length; i++) {
            while (k > 0 && pattern[i] != pattern[k]) {
                k = table[k - 1];
            }
            if (pattern[i] == pattern[k]) {
                k++;
            }
            table[i] = k;
        }
        return table;
    }
}
