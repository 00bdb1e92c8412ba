package io.latentnlp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.ListeningSockets;
import java.net.InetAddress;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.BlockManagerId;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The tests' local[2] session is reachable from this machine only: the driver's RPC endpoint and
 * block manager advertise 127.0.0.1, and the kernel lists every socket this JVM listens on as
 * bound to loopback (not the machine's network interface, which Spark picks when its host name
 * resolves to a loopback address and SPARK_LOCAL_IP is unset).
 */
class SparkSessionsTest {

    @Test
    void theTestSessionListensOnLoopbackOnly() throws Exception {
        SparkSession spark = SparkSessions.local2("SparkSessionsTest");
        try {
            assertEquals(1L, spark.range(3).filter("id = 1").count(), "the session runs a job");
            // Spark's own name for this machine, used for executors and anything not given a host:
            // without SPARK_LOCAL_IP it is the network interface's address (and Spark warns so)
            String local = org.apache.spark.util.Utils.localHostName();
            assertTrue(InetAddress.getByName(local).isLoopbackAddress(), "Spark's local host " + local + " (SPARK_LOCAL_IP, set in spark/pom.xml)");
            SparkEnv env = SparkEnv.get();
            assertEquals("127.0.0.1", env.rpcEnv().address().host(), "the driver's RPC address");
            BlockManagerId blocks = env.blockManager().blockManagerId();
            assertEquals("127.0.0.1", blocks.host(), "the block manager's address");
            for (SparkExecutorInfo e : spark.sparkContext().statusTracker().getExecutorInfos()) {
                assertEquals("127.0.0.1", e.host(), "executor host (local mode: the driver)");
            }

            Assumptions.assumeTrue(ListeningSockets.available(), "needs Linux /proc/net/tcp to see what the JVM listens on");
            List<ListeningSockets.Listener> listeners = ListeningSockets.ofThisProcess();
            int rpcPort = env.rpcEnv().address().port();
            assertTrue(listeners.stream().anyMatch(l -> l.port() == rpcPort && l.loopbackOnly()), "the RPC port " + rpcPort + " in " + listeners);
            assertTrue(listeners.stream().anyMatch(l -> l.port() == blocks.port() && l.loopbackOnly()),
                    "the block manager port " + blocks.port() + " in " + listeners);
            assertFalse(listeners.stream().anyMatch(l -> !l.loopbackOnly()), "a socket reachable from other machines: " + listeners);
        } finally {
            spark.stop();
        }
    }
}
