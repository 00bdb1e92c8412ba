package io.latentnlp.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An indexing process killed with SIGKILL loses nothing it committed and leaves a sound index. */
@Tag("integration")
class DurabilityTest {

    @TempDir
    Path dir;

    @Test
    void everyCommittedTextSurvivesSigkillOfTheIndexer() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), KillableIndexer.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int committed = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (committed < 300 && (line = out.readLine()) != null) {
                committed = Integer.parseInt(line.substring("committed ".length()));
            }
            // Still indexing (and probably between commits) when it dies.
            assertTrue(child.isAlive(), "the indexer must still be running when killed");
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close()
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL (128 + 9)");
        assertTrue(committed >= 300, "the child reported " + committed + " committed texts");

        try (FSDirectory fs = FSDirectory.open(dir); CheckIndex check = new CheckIndex(fs)) {
            CheckIndex.Status status = check.checkIndex();
            assertTrue(status.clean, "CheckIndex finds the index sound");
        }
        // Reopening for writing takes the lock the dead process held; every committed text is there and searchable.
        try (HashIndex index = HashIndex.openForWriting(dir, HashIndexTest.identity(64), 0)) {
            HashIndex.Stats stats = index.stats();
            assertTrue(stats.documents() >= committed, stats.documents() + " documents after the kill, " + committed + " were committed");
            assertEquals(stats.documents(), stats.sentences());
            assertEquals(0, stats.documents() % 50, "only whole commits survive: " + stats.documents());
            for (int i = 0; i < committed; i += 7) {
                List<Hit> hits = index.knn(Level.DOCUMENT, KillableIndexer.code(i), 1, null);
                assertEquals(HashIndexTest.id(i), hits.get(0).id(), "text " + i);
                assertEquals(0, hits.get(0).distance());
                assertEquals("text " + i, hits.get(0).text());
            }
        }
    }
}
