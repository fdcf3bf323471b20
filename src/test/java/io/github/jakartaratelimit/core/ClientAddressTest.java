package io.github.jakartaratelimit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAddressTest {

    private static final ClientAddress NONE = ClientAddress.trusting("");
    private static final ClientAddress PROXIES = ClientAddress.trusting("10.0.0.0/8, 192.168.1.1, fd00::/8");
    private static final ClientAddress NONE_FORWARDED = ClientAddress.trusting("", ClientAddress.Header.FORWARDED);
    private static final ClientAddress PROXIES_FORWARDED =
            ClientAddress.trusting("10.0.0.0/8, 192.168.1.1, fd00::/8", ClientAddress.Header.FORWARDED);

    private static String viaXff(ClientAddress trust, String peer, String... headers) {
        return trust.resolve(peer, List.of(), List.of(headers));
    }

    /** The same trust, with proxies configured to write {@code Forwarded}. */
    private static String viaForwarded(ClientAddress trust, String peer, String... headers) {
        return (trust == NONE ? NONE_FORWARDED : PROXIES_FORWARDED).resolve(peer, List.of(headers), List.of());
    }

    /** The fast path for the usual peer agrees with the full parse on every shape, canonical or not. */
    @Test
    void theIpv4FastPathAcceptsExactlyCanonicalAddresses() {
        for (String canonical : new String[] {"0.0.0.0", "127.0.0.1", "10.0.0.255", "255.255.255.255", "1.22.133.4"}) {
            assertTrue(ClientAddress.canonicalIpv4(canonical), canonical);
            assertEquals(ClientAddress.literal(canonical).getHostAddress(), canonical);
        }
        for (String other : new String[] {"", ".", "1.2.3", "1.2.3.4.", "1.2.3.4.5", "01.2.3.4", "1.2.3.256", "1..2.3",
                "1.2.3.1000", " 1.2.3.4", "1.2.3.4 ", "::1", "::ffff:1.2.3.4", "a.b.c.d", "1.2.3.-4", "1.2.3.4:80"}) {
            assertFalse(ClientAddress.canonicalIpv4(other), other);
        }
        assertFalse(ClientAddress.canonicalIpv4(null));
    }

    @Test
    void withoutTrustedProxiesForwardingHeadersAreIgnored() {
        assertEquals("203.0.113.7", viaXff(NONE, "203.0.113.7", "198.51.100.1"));
        assertEquals("203.0.113.7", viaForwarded(NONE, "203.0.113.7", "for=198.51.100.1"));
    }

    @Test
    void anUntrustedPeerGainsNothingByForgingHeaders() {
        assertEquals("203.0.113.7", viaXff(PROXIES, "203.0.113.7", "198.51.100.1"));
        assertEquals("203.0.113.7", viaForwarded(PROXIES, "203.0.113.7", "for=198.51.100.1"));
    }

    @Test
    void behindATrustedProxyDistinctClientsAreDistinct() {
        assertEquals("198.51.100.1", viaXff(PROXIES, "10.1.2.3", "198.51.100.1"));
        assertEquals("198.51.100.2", viaXff(PROXIES, "10.1.2.3", "198.51.100.2"));
    }

    @Test
    void theClientIsTheRightMostAddressThatIsNotATrustedProxy() {
        // The client forged the left-most entry; the trusted chain vouches only for what it appended.
        assertEquals("198.51.100.9", viaXff(PROXIES, "10.0.0.1", "1.2.3.4, 198.51.100.9, 192.168.1.1, 10.9.9.9"));
        assertEquals("198.51.100.9", viaXff(PROXIES, "10.0.0.1", "1.2.3.4, 198.51.100.9", "192.168.1.1"));
        assertEquals("198.51.100.9", viaForwarded(PROXIES, "10.0.0.1",
                "for=1.2.3.4, for=198.51.100.9;proto=https", "for=192.168.1.1;by=10.0.0.1"));
    }

    @Test
    void aChainOfOnlyTrustedProxiesIsInternalTraffic() {
        assertEquals("10.5.5.5", viaXff(PROXIES, "10.0.0.1", "10.5.5.5, 192.168.1.1"));
    }

    @Test
    void ipv6WithPortsAndQuotesAndKeyedByItsSlash64() {
        assertEquals("2001:db8:cafe:0:0:0:0:0/64", viaForwarded(PROXIES, "10.0.0.1", "for=\"[2001:db8:cafe::17]:4711\""));
        assertEquals("2001:db8:cafe:0:0:0:0:0/64", viaForwarded(PROXIES, "10.0.0.1", "For=\"[2001:db8:cafe::99]\""));
        assertEquals("2001:db8:beef:0:0:0:0:0/64", viaXff(PROXIES, "fd00::1", "2001:db8:beef::1"));
        assertEquals("2001:db8:0:0:0:0:0:0/64", viaXff(NONE, "2001:db8::5"), "a direct IPv6 client too");
        assertEquals("198.51.100.3", viaForwarded(PROXIES, "fd12::7", "for=\"198.51.100.3:8080\""));
        assertEquals("198.51.100.3", viaXff(PROXIES, "10.0.0.1", "198.51.100.3:8080"));
    }

    @Test
    void obfuscatedIdentifiersAndUnknown() {
        // A proxy may randomise obfuscated identifiers per request: as keys, each would be fresh quota. Like an
        // unknown client, such a client cannot be told from the proxy that saw it: it is counted as that proxy.
        assertEquals("10.0.0.1", viaForwarded(PROXIES, "10.0.0.1", "for=_hidden"));
        assertEquals("192.168.1.1", viaForwarded(PROXIES, "10.0.0.1", "for=_SEVKISEK, for=192.168.1.1"));
        assertEquals("192.168.1.1", viaForwarded(PROXIES, "10.0.0.1", "for=unknown, for=192.168.1.1"));
        assertEquals("10.0.0.1", viaXff(PROXIES, "10.0.0.1", "unknown"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "for=\"[2001:db8::1\"",
            "for=\"unterminated",
            "proto=https",
            "for",
            "garbage;;=;",
            "for=example.com",
    })
    void malformedForwardedFallsBackToThePeer(String header) {
        assertEquals("10.0.0.1", viaForwarded(PROXIES, "10.0.0.1", header));
    }

    @Test
    void paddingTheLeftOfAChainChangesNothing() {
        String padded = "198.51.100.1, ".repeat(300) + "198.51.100.2";
        assertEquals("198.51.100.2", viaXff(PROXIES, "10.0.0.1", padded));
        assertEquals("1.1.1.1", viaForwarded(PROXIES, "10.0.0.1", "for=198.51.100.1, ".repeat(40) + "for=1.1.1.1"));
    }

    @Test
    void onlyTheHeaderTheProxiesWriteIsRead() {
        // The proxy maintains X-Forwarded-For and passes the client's own Forwarded on untouched.
        assertEquals("203.0.113.9", PROXIES.resolve("10.0.0.1", List.of("for=1.1.1.1"), List.of("203.0.113.9")));
        assertEquals("198.51.100.5", PROXIES_FORWARDED.resolve("10.0.0.1", List.of("for=198.51.100.5"), List.of("1.1.1.1")));
    }

    @Test
    void anUnclosedQuoteCannotSwallowWhatTheProxyAppended() {
        // A naive proxy appends to the client's line: the client's quote would hide the proxy's element.
        String attack = "for=5.6.7.8;x=\", for=203.0.113.9";
        assertEquals("10.0.0.1", viaForwarded(PROXIES, "10.0.0.1", attack));
    }

    @Test
    void aMalformedElementLeftOfTheClientDoesNotDiscardTheChain() {
        assertEquals("198.51.100.4", viaForwarded(PROXIES, "10.0.0.1", "garbage, for=198.51.100.4"));
        assertEquals("198.51.100.4", viaForwarded(PROXIES, "10.0.0.1", "", "for=198.51.100.4"));
        assertEquals("198.51.100.4", viaXff(PROXIES, "10.0.0.1", ", nonsense, 198.51.100.4"));
    }

    @Test
    void onlyLiteralsAreParsedNeverNames() {
        for (String name : new String[] {".::", "::g", "a..b:c", "localhost", "x:y"}) {
            assertEquals(null, ClientAddress.literal(name), name);
        }
        assertEquals("10.0.0.1", viaXff(PROXIES, "10.0.0.1", ".::"));
    }

    @Test
    void hostNamesAreNeverLookedUp() {
        assertEquals("10.0.0.1", viaXff(PROXIES, "10.0.0.1", "localhost"));
        assertEquals("10.0.0.1", viaXff(PROXIES, "10.0.0.1", "attacker.example"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/33        | \"10.0.0.0/33\" has a prefix length outside 0 to 32",
            "fd00::/129         | \"fd00::/129\" has a prefix length outside 0 to 128",
            "10.0.0/8           | \"10.0.0/8\" is not an IPv4 or IPv6 network",
            "10.0.0.0/x         | \"10.0.0.0/x\" has no valid prefix length",
            "proxy.internal     | \"proxy.internal\" is not an IPv4 or IPv6 network",
            "256.1.1.1          | \"256.1.1.1\" is not an IPv4 or IPv6 network",
    })
    void malformedCidrsAreRejectedByName(String cidr, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> ClientAddress.trusting("10.0.0.0/8," + cidr)).getMessage());
    }
}
