package io.latentnlp.models;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets a process listens on, as the Linux kernel reports them: {@code /proc/net/tcp}
 * and {@code /proc/net/tcp6} rows in state LISTEN whose inode is one of the process's open
 * sockets ({@code /proc/PID/fd}). What a test asserts with it is where a server is reachable
 * from, not which option it was given. Linux only: {@link #available()} is false elsewhere, and
 * tests skip with that reason.
 */
public final class ListeningSockets {

    /** One listening socket: the local address it is bound to (0.0.0.0 or :: = every interface) and its port. */
    public record Listener(InetAddress address, int port) {

        /** True when the socket accepts connections from loopback only (127.0.0.0/8 or ::1). */
        public boolean loopbackOnly() {
            return address.isLoopbackAddress();
        }

        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port;
        }
    }

    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    /** Whether this machine has the {@code /proc} files the other methods read. */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** The listening TCP sockets of process {@code pid} (IPv4 and IPv6). */
    public static List<Listener> of(long pid) throws IOException {
        Set<String> inodes = socketInodes(pid);
        List<Listener> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            List<String> rows = Files.readAllLines(p);
            for (String row : rows.subList(1, rows.size())) {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
                String[] f = row.trim().split("\\s+");
                if (f.length > 9 && f[3].equals(LISTEN) && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    out.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return out;
    }

    /** The listening TCP sockets of this JVM. */
    public static List<Listener> ofThisProcess() throws IOException {
        return of(ProcessHandle.current().pid());
    }

    /** The inodes of the sockets open in {@code /proc/PID/fd} (links read as {@code socket:[N]}). */
    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue; // a descriptor closed between the listing and the read holds no listener
                }
                if (target.startsWith("socket:[")) {
                    inodes.add(target.substring("socket:[".length(), target.length() - 1));
                }
            }
        }
        return inodes;
    }

    /**
     * The kernel's hex address: IPv4 as one 32-bit word, IPv6 as four, each word in host byte
     * order (little-endian on x86 and arm64), so the bytes of each word are reversed.
     */
    static InetAddress address(String hex) throws UnknownHostException {
        byte[] b = new byte[hex.length() / 2];
        for (int word = 0; word < b.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = 2 * (4 * word + 3 - i);
                b[4 * word + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return InetAddress.getByAddress(b);
    }
}
