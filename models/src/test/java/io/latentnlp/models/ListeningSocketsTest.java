package io.latentnlp.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The /proc reader that the server and Spark tests use to see where they listen. */
class ListeningSocketsTest {

    @Test
    void aLoopbackAndAWildcardServerSocketAreReportedWithTheirAddresses() throws Exception {
        Assumptions.assumeTrue(ListeningSockets.available(), "needs Linux /proc/net/tcp");
        try (ServerSocket loopback = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                ServerSocket wildcard = new ServerSocket(0)) {
            List<ListeningSockets.Listener> mine = ListeningSockets.ofThisProcess();
            List<ListeningSockets.Listener> lo = mine.stream().filter(l -> l.port() == loopback.getLocalPort()).toList();
            List<ListeningSockets.Listener> any = mine.stream().filter(l -> l.port() == wildcard.getLocalPort()).toList();
            assertEquals(1, lo.size(), mine.toString());
            assertEquals("127.0.0.1", lo.get(0).address().getHostAddress());
            assertTrue(lo.get(0).loopbackOnly());
            assertEquals(1, any.size(), mine.toString());
            assertTrue(any.get(0).address().isAnyLocalAddress(), "a ServerSocket without an address binds every interface: " + any);
            assertFalse(any.get(0).loopbackOnly());
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        int port = closed;
        assertTrue(ListeningSockets.ofThisProcess().stream().noneMatch(l -> l.port() == port), "a closed socket no longer listens");
    }

    @Test
    void kernelHexAddressesReadWordByWordInHostOrder() throws Exception {
        assertEquals("127.0.0.1", ListeningSockets.address("0100007F").getHostAddress());
        assertEquals("0.0.0.0", ListeningSockets.address("00000000").getHostAddress());
        assertEquals("0:0:0:0:0:0:0:1", ListeningSockets.address("00000000000000000000000001000000").getHostAddress());
        assertTrue(ListeningSockets.address("00000000000000000000000000000000").isAnyLocalAddress());
    }
}
