package dev.switchboard.tools.internal;

/**
 * llama.cpp's glob: {@code *} matches within one path segment, {@code **} across segments,
 * {@code ?} one character, {@code [...]} a class ({@code !} negates).
 */
final class Glob {
    private Glob() {}

    /**
     * A pattern without '/' matches the basename at any depth; one with '/' the whole relative
     * path, anchored with {@code **}/ unless it already is.
     */
    static boolean matchesPath(String pattern, String rel) {
        if (pattern.indexOf('/') < 0) {
            int slash = rel.lastIndexOf('/');
            return matches(pattern, slash < 0 ? rel : rel.substring(slash + 1));
        }
        if (pattern.equals("**") || pattern.startsWith("**/") || pattern.startsWith("/")) {
            return matches(pattern, rel);
        }
        return matches("**/" + pattern, rel);
    }

    static boolean matches(String pattern, String text) {
        return match(pattern, 0, text, 0);
    }

    private static boolean match(String p, int pi, String s, int si) {
        if (pi == p.length()) {
            return si == s.length();
        }
        char c = p.charAt(pi);
        if (c == '*' && pi + 1 < p.length() && p.charAt(pi + 1) == '*') {
            for (int i = si; i <= s.length(); i++) {
                if (match(p, pi + 2, s, i)) {
                    return true;
                }
            }
            return false;
        }
        if (c == '*') {
            for (int i = si; ; i++) {
                if (match(p, pi + 1, s, i)) {
                    return true;
                }
                if (i == s.length() || s.charAt(i) == '/') {
                    return false;
                }
            }
        }
        if (c == '?') {
            return si < s.length() && s.charAt(si) != '/' && match(p, pi + 1, s, si + 1);
        }
        if (c == '[') {
            int end = pi + 1;
            if (end < p.length() && (p.charAt(end) == ']' || p.charAt(end) == '-')) {
                end++;
            }
            while (end < p.length() && p.charAt(end) != ']') {
                end++;
            }
            if (end < p.length()) {
                return si < s.length() && inClass(s.charAt(si), p, pi + 1, end) && match(p, end + 1, s, si + 1);
            }
            return si < s.length() && s.charAt(si) == '[' && match(p, pi + 1, s, si + 1);
        }
        return si < s.length() && s.charAt(si) == c && match(p, pi + 1, s, si + 1);
    }

    private static boolean inClass(char c, String p, int start, int end) {
        boolean negated = start < end && p.charAt(start) == '!';
        int i = negated ? start + 1 : start;
        boolean matched = false;
        if (i < end && (p.charAt(i) == ']' || p.charAt(i) == '-')) {
            if (p.charAt(i) == c) {
                return !negated;
            }
            i++;
        }
        while (i < end && !matched) {
            if (i + 2 < end && p.charAt(i + 1) == '-' && p.charAt(i + 2) != ']') {
                matched = c >= p.charAt(i) && c <= p.charAt(i + 2);
                i += 3;
            } else {
                matched = p.charAt(i) == c;
                i++;
            }
        }
        return negated != matched;
    }
}
