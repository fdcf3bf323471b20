package io.github.jakartaratelimit.core;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who the client is, seen through proxies. Forwarding headers are believed only when the connection comes
 * from a trusted proxy, and then only as far as the chain of trusted proxies goes: the client is the
 * right-most address that is not itself a trusted proxy (every hop appends to the right; anything to the
 * left of an untrusted hop may be forged). Malformed, oversized or unusable headers fall back to the
 * connection's address: they never fail a request.
 *
 * <p>IPv6 clients are keyed by their /64 network: one subscriber typically holds a whole /64, and
 * counting each of its 2^64 addresses apart would hand out unlimited quota.
 */
public final class ClientAddress {

    /** Headers longer than this, or with more hops, are ignored: no legitimate chain is that long. */
    static final int MAX_HEADER_LENGTH = 2048;
    static final int MAX_HOPS = 32;

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** An unquoted RFC 7239 value: a token (an IPv4 node with a port must be quoted, but is tolerated). */
    private static final Pattern TOKEN_VALUE = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z:-]+");

    /** Which forwarding header the trusted proxies write; the other one is never read. */
    public enum Header {
        /** {@code X-Forwarded-For}: what most proxies and load balancers write. */
        X_FORWARDED_FOR,
        /** {@code Forwarded} (RFC 7239). */
        FORWARDED
    }

    private final List<Cidr> trusted;
    private final Header header;

    private ClientAddress(List<Cidr> trusted, Header header) {
        this.trusted = trusted;
        this.header = header;
    }

    /**
     * @param cidrs comma-separated IPv4 and IPv6 networks ({@code 10.0.0.0/8}, {@code ::1/128}); a bare
     *              address means just that address; empty for none
     * @throws IllegalArgumentException naming the first malformed entry
     */
    public static ClientAddress trusting(String cidrs) {
        return trusting(cidrs, Header.X_FORWARDED_FOR);
    }

    /**
     * @param header the one header the trusted proxies maintain: a client could send the other one through
     *               a proxy that passes it on untouched, so it is never read
     */
    public static ClientAddress trusting(String cidrs, Header header) {
        List<Cidr> trusted = new ArrayList<>();
        for (String entry : cidrs.split(",")) {
            if (!entry.isBlank()) {
                trusted.add(Cidr.parse(entry.trim()));
            }
        }
        return new ClientAddress(List.copyOf(trusted), header);
    }

    /** Whether any forwarding header can ever be read: otherwise callers need not fetch them. */
    public boolean readsHeaders() {
        return !trusted.isEmpty();
    }

    /** The header this instance reads. */
    public Header header() {
        return header;
    }

    /**
     * The key of the client.
     *
     * @param peer           the address of the connection ({@code getRemoteAddr()})
     * @param forwarded      the values of the {@code Forwarded} headers, in order; empty when none
     * @param xForwardedFor  the values of the {@code X-Forwarded-For} headers, in order; empty when none
     */
    public String resolve(String peer, List<String> forwarded, List<String> xForwardedFor) {
        if (trusted.isEmpty() && canonicalIpv4(peer)) {
            return peer; // the usual case, decided without parsing: its own key, as getHostAddress() would write it
        }
        InetAddress peerAddress = literal(peer);
        if (peerAddress == null || trusted.isEmpty() || !isTrusted(peerAddress)) {
            return key(peer, peerAddress);
        }
        List<String> hops = header == Header.FORWARDED ? forwardedFor(forwarded) : xForwardedFor(xForwardedFor);
        if (hops == null || hops.isEmpty()) {
            return key(peer, peerAddress);
        }
        String closest = peer; // the nearest hop known to be a trusted proxy
        InetAddress closestAddress = peerAddress;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            InetAddress address = hop == null ? null : literal(hop);
            if (address == null) {
                // "unknown", an obfuscated identifier (RFC 7239 asks proxies to make them random, even per request,
                // so as a key each would be fresh quota), malformed or garbage: the client cannot be told apart
                // from the proxy that saw it, and is counted as that proxy.
                break;
            }
            if (!isTrusted(address)) {
                return key(hop, address);
            }
            closest = hop;
            closestAddress = address;
        }
        return key(closest, closestAddress);
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static String key(String text, InetAddress address) {
        if (address instanceof Inet6Address v6 && v6.getAddress().length == 16) {
            byte[] network = v6.getAddress();
            for (int i = 8; i < 16; i++) {
                network[i] = 0;
            }
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/64";
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return address != null ? address.getHostAddress() : text;
    }

    /** The nodes of every {@code X-Forwarded-For}, the right-most {@value #MAX_HOPS} only. */
    private static List<String> xForwardedFor(List<String> headers) {
        List<String> hops = new ArrayList<>();
        for (String header : headers) {
            for (String hop : header.split(",", -1)) {
                hops.add(stripPort(hop.trim()));
            }
        }
        return rightMost(hops);
    }

    /** Only the hops nearest to us matter, and a client can pad the left as much as it likes. */
    private static List<String> rightMost(List<String> hops) {
        return hops.size() > MAX_HOPS ? hops.subList(hops.size() - MAX_HOPS, hops.size()) : hops;
    }

    /**
     * The {@code for=} nodes of every RFC 7239 {@code Forwarded} header, the right-most {@value #MAX_HOPS}
     * only; a malformed element is a {@code null} hop, which stops the walk from the right there. A header
     * line that ends inside a quoted string is malformed as a whole: a client could otherwise open a quote
     * that swallows what the proxy appends after it.
     */
    private static List<String> forwardedFor(List<String> headers) {
        List<String> hops = new ArrayList<>();
        for (String header : headers) {
            List<String> elements = splitOutsideQuotes(header, ',');
            if (elements == null || header.length() > MAX_HEADER_LENGTH) {
                hops.add(null);
                continue;
            }
            for (String element : elements) {
                hops.add(forNode(element));
            }
        }
        return rightMost(hops);
    }

    /** The node of one element's {@code for} parameter, or {@code null} when the element is malformed. */
    private static String forNode(String element) {
        List<String> pairs = splitOutsideQuotes(element, ';');
        if (pairs == null) {
            return null;
        }
        String node = null;
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                return null;
            }
            String name = pair.substring(0, equals).trim();
            String value = unquote(pair.substring(equals + 1).trim());
            if (value == null || !TOKEN.matcher(name).matches()) {
                return null;
            }
            if (name.equalsIgnoreCase("for")) {
                if (node != null) {
                    return null; // two for= in one element: which one?
                }
                node = stripPort(value);
            }
        }
        return node;
    }

    /** Splits outside quoted strings; {@code null} when a quoted string is never closed. */
    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == separator && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return quoted ? null : parts;
    }

    private static String unquote(String value) {
        if (!value.startsWith("\"")) {
            return TOKEN_VALUE.matcher(value).matches() ? value : null;
        }
        if (value.length() < 2 || !value.endsWith("\"")) {
            return null;
        }
        return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    /** {@code [v6]:port} to {@code v6}, {@code v4:port} to {@code v4}; anything else unchanged. */
    private static String stripPort(String node) {
        if (node.startsWith("[")) {
            int end = node.indexOf(']');
            return end > 0 ? node.substring(1, end) : node;
        }
        int colon = node.indexOf(':');
        return colon > 0 && node.indexOf(':', colon + 1) < 0 ? node.substring(0, colon) : node;
    }

    /** Whether the text is an IPv4 address in its canonical form: four numbers 0 to 255, without leading zeros. */
    static boolean canonicalIpv4(String text) {
        if (text == null) {
            return false;
        }
        int length = text.length();
        int parts = 0;
        int i = 0;
        while (i < length) {
            int start = i;
            int value = 0;
            while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - start < 3) {
                value = value * 10 + text.charAt(i) - '0';
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || digits > 1 && text.charAt(start) == '0') {
                return false;
            }
            parts++;
            if (i == length) {
                break;
            }
            if (text.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
            if (i == length) {
                return false; // a trailing dot
            }
        }
        return parts == 4;
    }

    /** An IP literal, parsed without ever asking DNS; {@code null} for anything else. */
    static InetAddress literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        boolean v4 = IPV4.matcher(text).matches();
        char first = text.charAt(0);
        boolean v6Shape = text.indexOf(':') >= 0 && IPV6.matcher(text).matches()
                && (first == ':' || Character.digit(first, 16) >= 0) && !text.contains("..");
        if (!v4 && !v6Shape) {
            return null; // anything else could make getByName ask the name service
        }
        try {
            return InetAddress.getByName(text); // a literal: no lookup
        } catch (UnknownHostException | IllegalArgumentException malformed) {
            return null;
        }
    }

    /** One trusted network. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            InetAddress parsed = literal(address);
            if (parsed == null) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 or IPv6 network");
            }
            int bits = parsed.getAddress().length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + text + "\" has no valid prefix length");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("\"" + text + "\" has a prefix length outside 0 to " + bits);
            }
            return new Cidr(parsed.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(prefix).subtract(BigInteger.ONE).shiftLeft(network.length * 8 - prefix);
            return new BigInteger(1, candidate).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }
}
