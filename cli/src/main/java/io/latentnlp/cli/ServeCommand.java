package io.latentnlp.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent-nlp serve}: a page and a JSON API over an index and its model (docs/serve.md). */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Serves a page to look at a model and an index: type text, see each sentence's tokens coloured by surprisal (-log p), its bits,",
            "its nearest texts and sentences in the index with the differing bits, a 2-D map (PCA of the index's codes) with the text placed,",
            "and sentences decoded between two sentences. The page's JSON API is documented in docs/serve.md.",
            "Prints the address on stderr and serves until stopped (Ctrl-C)."
        })
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--index", required = true, paramLabel = "DIR",
            description = "Index directory: one index, or a sharded index (shards.json).")
    Path index;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = LatentNlp.MODEL_HELP + "; default: the model the index records, when it is a shipped one.")
    String model;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port, 0 = a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--threads", defaultValue = "2", description = "Request threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--map-points", defaultValue = "" + Explorer.DEFAULT_MAP_POINTS,
            description = "Most index codes drawn on the map; a larger index is subsampled evenly (default: ${DEFAULT-VALUE}).")
    int mapPoints;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw UsageException.invalid("--port", port, "must be in 0..65535, 0 = a free port");
        }
        UsageException.atLeast("--threads", threads, 1);
        UsageException.atLeast("--map-points", mapPoints, 2);
        try (Explorer explorer = Explorer.open(index, model, mapPoints);
                ExplorerServer server = ExplorerServer.start(explorer, host, port, threads)) {
            CountDownLatch stopped = new CountDownLatch(1);
            Thread main = Thread.currentThread();
            // On Ctrl-C or SIGTERM: let this thread leave the try block (closing the server, the model
            // and the index) before the JVM exits.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopped.countDown();
                try {
                    main.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "serve-stop"));
            System.err.println("serving " + server.url() + " (index " + index + ", model " + explorer.info().get("model") + "); Ctrl-C stops");
            stopped.await();
        }
        return 0;
    }
}
