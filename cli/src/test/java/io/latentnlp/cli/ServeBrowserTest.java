package io.latentnlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page of {@code latent-nlp serve} in a real headless Chromium over the DevTools protocol: it
 * loads, a query typed into it comes back with its sentences, neighbours and map drawn, an
 * interpolation is drawn, and the page logs no error. Skipped, saying why, when no Chromium is
 * installed ({@code apt-get install -y chromium}; .ci/run installs it). Screenshots go to
 * target/serve-screenshots, and also to {@code $LATENTNLP_SCREENSHOTS} when set
 * (scripts/browser-test.sh sets it to docs/).
 */
class ServeBrowserTest {

    @TempDir
    Path dir;

    @Test
    void aTypedQueryShowsItsNeighboursMapAndInterpolationWithNoConsoleErrors() throws Exception {
        Optional<Path> browser = Chromium.find();
        Assumptions.assumeTrue(browser.isPresent(), "no Chromium on this machine (looked for $LATENTNLP_CHROMIUM, then chromium, chromium-browser,"
                + " google-chrome on PATH): install Debian's chromium (apt-get install -y chromium) to run the browser test");
        try (Explorer explorer = Explorer.open(ServeFixture.buildIndex(dir), null, Explorer.DEFAULT_MAP_POINTS);
                ExplorerServer server = ExplorerServer.start(explorer, "127.0.0.1", 0, 2);
                Chromium page = Chromium.start(browser.get(), Files.createDirectories(dir.resolve("profile")), 1100, 1400)) {
            page.send("Page.navigate", Chromium.params().put("url", server.url()));
            page.waitFor("document.readyState === 'complete' && document.body.dataset.state === 'ready'", Duration.ofSeconds(20));
            assertTrue(page.eval("document.getElementById('info').textContent").asText().contains("minilm-gaussian64"));

            // Type a query as a user does: focus the box, insert the text, press the button.
            String query = "Where is the train? I need a coffee.";
            page.eval("(() => { const q = document.getElementById('query'); q.value = ''; q.focus(); })()");
            page.send("Input.insertText", Chromium.params().put("text", query));
            assertEquals(query, page.eval("document.getElementById('query').value").asText());
            page.eval("document.getElementById('go').click()");
            page.waitFor("document.querySelectorAll('#neighbours .hit').length > 0 && document.body.dataset.state === 'ready'", Duration.ofSeconds(30));

            JsonNode sentences = page.eval("[...document.querySelectorAll('#analysis .sentence .tokens')].map(s => s.textContent)");
            assertEquals(List.of("Whereisthetrain?", "Ineedacoffee."), List.of(sentences.get(0).asText(), sentences.get(1).asText()));
            assertEquals(64, page.eval("document.querySelectorAll('#analysis .sentence')[0].querySelectorAll('.bit').length").asInt());
            // The second sentence is indexed (everyday-01): its first neighbour is itself, at distance 0, with no bit marked.
            JsonNode second = page.eval("(() => { const h = document.querySelectorAll('#neighbours .hits')[2].querySelector('.hit');"
                    + " return {d: h.querySelector('.d').textContent, text: h.querySelector('.text').textContent, diff: h.querySelectorAll('.bit.diff').length}; })()");
            assertEquals("d=0", second.get("d").asText(), second.toString());
            assertTrue(second.get("text").asText().endsWith("I need a coffee ."), second.toString());
            assertEquals(0, second.get("diff").asInt());
            JsonNode first = page.eval("(() => { const h = document.querySelectorAll('#neighbours .hits')[1].querySelector('.hit');"
                    + " return {d: Number(h.querySelector('.d').textContent.slice(2)), diff: h.querySelectorAll('.bit.diff').length}; })()");
            assertEquals(first.get("d").asInt(), first.get("diff").asInt(), "differing bits marked on the first neighbour of sentence 1: " + first);
            int indexed = ServeFixture.texts().size();
            assertEquals(indexed, page.eval("document.querySelectorAll('#map circle.pt').length").asInt());
            assertEquals(3, page.eval("document.querySelectorAll('#map circle.q').length").asInt()); // the text and its two sentences

            page.eval("document.getElementById('interpolate-go').click()");
            page.waitFor("document.querySelectorAll('#interpolation li .bits').length === 6 && document.body.dataset.state === 'ready'", Duration.ofSeconds(30));

            save("serve-query.png", page.screenshot("header", "#neighbours-section"));
            save("serve-map.png", page.screenshot("#map-section", "#interpolate-section"));
            assertEquals(List.of(), page.errors(), "the page logged errors");
        }
    }

    private static void save(String name, byte[] png) throws Exception {
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', name + " is not a PNG");
        Path target = Files.createDirectories(Path.of("target", "serve-screenshots"));
        Files.write(target.resolve(name), png);
        String docs = System.getenv("LATENTNLP_SCREENSHOTS");
        if (docs != null && !docs.isBlank()) {
            Files.write(Files.createDirectories(Path.of(docs)).resolve(name), png);
        }
    }
}
