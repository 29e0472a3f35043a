package dev.switchboard.core.spi;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses memory sizes used in configuration: {@code 24GiB}, {@code 512MiB}, {@code 8GB}, {@code 1024}. */
public final class ByteSizes {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]i?b?|b)?");

    private ByteSizes() {}

    /**
     * Parses a size; binary units (KiB, MiB, GiB, TiB) are powers of 1024, decimal ones (KB, MB, GB,
     * TB) powers of 1000; a bare number is bytes.
     *
     * @throws IllegalArgumentException when the text is not a size
     */
    public static long parse(String text) {
        Matcher m = FORMAT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a memory size: '" + text + "' (try 24GiB or 512MiB)");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        boolean binary = unit.contains("i");
        double base = binary ? 1024 : 1000;
        int power =
                switch (unit.charAt(0)) {
                    case 'k' -> 1;
                    case 'm' -> 2;
                    case 'g' -> 3;
                    case 't' -> 4;
                    default -> 0;
                };
        return (long) (amount * Math.pow(base, power));
    }

    /** Formats bytes for people: {@code 23.5 GiB}. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
