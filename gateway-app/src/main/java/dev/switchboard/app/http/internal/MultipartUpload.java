package dev.switchboard.app.http.internal;

import dev.switchboard.core.GatewayException;
import dev.switchboard.core.forward.RequestBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} upload (an audio file to transcribe, an image to edit) read only as
 * far as its {@code model} field, so the gateway knows the model without holding the upload: the
 * parts read on the way are kept in a {@link Spool} (memory up to 64 KiB, then a temporary file, for
 * a file part sent before the field), and the body relayed to the engine is those bytes followed by
 * the rest straight from the client, byte for byte.
 */
public final class MultipartUpload implements AutoCloseable {
    /** The most bytes a part's headers, or the {@code model} field's value, may take. */
    static final int FIELD_LIMIT = 16 * 1024;

    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]+)\"|[^;\\s]+)");
    private static final Pattern FIELD_NAME =
            Pattern.compile("(?i)content-disposition:[^\\r\\n]*;\\s*name=\"([^\"]*)\"");
    private static final int READ_BYTES = 16 * 1024;

    private final String model;
    private final Spool spool;
    private final InputStream rest;
    private final long length;

    private MultipartUpload(String model, Spool spool, InputStream rest, long length) {
        this.model = model;
        this.spool = spool;
        this.rest = rest;
        this.length = length;
    }

    /** Whether the content type is {@code multipart/form-data}. */
    public static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /**
     * Reads {@code body} up to the end of its first part named {@code model}. Without one (or without
     * a boundary in the content type) the body is read to its end and dropped, so that a size limit
     * of {@code body} is still told before the missing model.
     *
     * @param length the body's declared length, -1 for none
     * @throws GatewayException 400 when a part's headers or the model's name are longer than 16 KiB
     */
    public static MultipartUpload read(InputStream body, long length, String contentType) throws IOException {
        Spool spool = new Spool();
        try {
            Matcher boundary = BOUNDARY.matcher(contentType);
            String model = null;
            if (boundary.find()) {
                Scanner scanner = new Scanner(boundary.group(2) != null ? boundary.group(2) : boundary.group(1));
                byte[] chunk = new byte[READ_BYTES];
                for (int n; model == null && !scanner.ended() && (n = body.read(chunk)) != -1; ) {
                    spool.write(chunk, 0, n);
                    model = scanner.scan(chunk, n);
                }
            }
            if (model == null) {
                body.transferTo(OutputStream.nullOutputStream());
            }
            return new MultipartUpload(model, spool, body, length);
        } catch (IOException | RuntimeException e) {
            spool.close();
            throw e;
        }
    }

    /** The {@code model} field's value, decoded as UTF-8; empty when the upload has none. */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /** The whole upload as read from the client, to be sent once. */
    public RequestBody body() {
        return RequestBody.stream(new SequenceInputStream(spool.read(), rest), length);
    }

    /** Deletes the spooled parts. */
    @Override
    public void close() throws IOException {
        spool.close();
    }

    /**
     * Finds the first {@code model} part's value in a body fed in pieces: delimiters are matched as
     * the bytes go by (Knuth-Morris-Pratt, so a delimiter split between two pieces is found), and only
     * part headers and the model's value are kept, each up to {@link #FIELD_LIMIT}.
     */
    static final class Scanner {
        private enum State {
            PREAMBLE,
            HEADERS,
            CONTENT,
            ENDED
        }

        private static final byte[] BLANK_LINE = {'\r', '\n', '\r', '\n'};

        private final byte[] delimiter; // CRLF "--" boundary: the CRLF before it belongs to it
        private final int[] fallback;
        private final byte[] field = new byte[FIELD_LIMIT];
        private int fieldLength;
        private int matched;
        private State state = State.PREAMBLE;
        private boolean modelPart;

        Scanner(String boundary) {
            delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            fallback = fallback(delimiter);
            matched = 2; // the body starts at a delimiter with no CRLF before it
        }

        boolean ended() {
            return state == State.ENDED;
        }

        /** Scans {@code length} more bytes; the model's name once its part has ended, else null. */
        String scan(byte[] bytes, int length) {
            for (int i = 0; i < length && state != State.ENDED; i++) {
                String model = state == State.HEADERS ? header(bytes[i]) : content(bytes[i]);
                if (model != null) {
                    return model;
                }
            }
            return null;
        }

        private String header(byte b) {
            keep(b, "the headers of a multipart part");
            if (fieldLength == 2 && field[0] == '-' && field[1] == '-') {
                state = State.ENDED; // the closing delimiter
            } else if (fieldLength >= 4 && endsWithBlankLine()) {
                String headers = new String(field, 0, fieldLength, StandardCharsets.ISO_8859_1);
                Matcher name = FIELD_NAME.matcher(headers);
                modelPart = name.find() && name.group(1).equals("model");
                fieldLength = 0;
                state = State.CONTENT;
            }
            return null;
        }

        private String content(byte b) {
            while (matched > 0 && delimiter[matched] != b) {
                int back = fallback[matched - 1];
                keepContent(delimiter, matched - back); // what matched so far was content after all
                matched = back;
            }
            if (delimiter[matched] == b) {
                matched++;
            } else {
                keepContent(b);
            }
            if (matched < delimiter.length) {
                return null;
            }
            matched = 0;
            if (state == State.CONTENT && modelPart) {
                state = State.ENDED;
                return new String(field, 0, fieldLength, StandardCharsets.UTF_8);
            }
            fieldLength = 0;
            state = State.HEADERS;
            return null;
        }

        private void keepContent(byte[] bytes, int length) {
            for (int i = 0; i < length; i++) {
                keepContent(bytes[i]);
            }
        }

        private void keepContent(byte b) {
            if (state == State.CONTENT && modelPart) {
                keep(b, "the multipart field 'model'");
            }
        }

        private void keep(byte b, String what) {
            if (fieldLength == FIELD_LIMIT) {
                throw GatewayException.invalidRequest(what + " is longer than " + FIELD_LIMIT + " bytes");
            }
            field[fieldLength++] = b;
        }

        private boolean endsWithBlankLine() {
            return Arrays.equals(field, fieldLength - 4, fieldLength, BLANK_LINE, 0, 4);
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
}
