package dev.switchboard.app.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds one text field in a raw {@code multipart/form-data} body without decoding the rest, so the
 * body can be relayed to the engine byte for byte (an audio upload names its model in a form field).
 */
public final class MultipartFields {
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]+)\"|[^;\\s]+)");
    private static final Pattern FIELD_NAME =
            Pattern.compile("(?i)content-disposition:[^\\r\\n]*;\\s*name=\"([^\"]*)\"");
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private MultipartFields() {}

    /** Whether the content type is {@code multipart/form-data}. */
    public static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /**
     * The value of the first part named {@code name}, decoded as UTF-8; empty when the body has no
     * such part or the content type names no boundary.
     */
    public static Optional<String> field(byte[] body, String contentType, String name) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            return Optional.empty();
        }
        String boundary = m.group(2) != null ? m.group(2) : m.group(1);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int partStart = indexOf(body, delimiter, 0);
        while (partStart >= 0) {
            int headersStart = partStart + delimiter.length;
            int headersEnd = indexOf(body, HEADER_END, headersStart);
            if (headersEnd < 0) {
                return Optional.empty();
            }
            int next = indexOf(body, delimiter, headersEnd);
            if (next < 0) {
                return Optional.empty();
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.ISO_8859_1);
            Matcher field = FIELD_NAME.matcher(headers);
            if (field.find() && field.group(1).equals(name)) {
                int valueStart = headersEnd + HEADER_END.length;
                int valueEnd = next - 2; // the CRLF before the delimiter belongs to the delimiter
                return Optional.of(
                        new String(body, valueStart, Math.max(0, valueEnd - valueStart), StandardCharsets.UTF_8));
            }
            partStart = next;
        }
        return Optional.empty();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
