package io.annexgate.proxy.p2p;

/**
 * The informational file name sent with GET and PUT. On the wire it is one token: whitespace
 * becomes {@code %} and {@code %} becomes {@code %%}; the empty token means no file.
 */
public record AssociatedFile(String name) {

    public static final AssociatedFile NONE = new AssociatedFile("");

    public AssociatedFile {
        if (name == null) {
            throw new IllegalArgumentException("null associated file");
        }
    }

    /** The single-token wire form. */
    public String toWire() {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%') {
                out.append("%%");
            } else if (Character.isWhitespace(c)) {
                out.append('%');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Reverses {@link #toWire()}; a lone {@code %} becomes {@code _} and control characters too, as git-annex does. */
    public static AssociatedFile fromWire(String token) {
        StringBuilder out = new StringBuilder(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '%' && i + 1 < token.length() && token.charAt(i + 1) == '%') {
                out.append('%');
                i++;
            } else if (c == '%' || Character.isISOControl(c)) {
                out.append('_');
            } else {
                out.append(c);
            }
        }
        return new AssociatedFile(out.toString());
    }
}
