package io.latentnlp.training.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.latent.GaussianPosterior;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.SentenceEncoder;
import io.latentnlp.training.corpus.CorpusReader;
import io.latentnlp.training.corpus.CorpusSentence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plots of a training run: per-epoch validation curves from {@code metrics.jsonl}, and a 2-D
 * PCA projection of latent codes coloured by label. Every image is drawn from measured numbers by
 * {@link LineChart}. Stateless.
 */
public final class TrainingPlots {

    private TrainingPlots() {}

    /**
     * Writes {@code prefix-nats.png} (validation -ELBO, reconstruction, IW-NLL; training
     * reconstruction), {@code prefix-kl-mi.png} (validation KL and MI; training KL) and {@code
     * prefix-au.png} (active units) from a run's metrics, one point per epoch.
     *
     * @return the files written
     */
    public static List<Path> curves(Path runDir, String prefix) throws IOException {
        Path metrics = runDir.resolve("metrics.jsonl");
        if (!Files.exists(metrics)) {
            throw new IOException(runDir + " has no metrics.jsonl (not a training run directory?)");
        }
        LineChart nats = new LineChart("Nats per sentence (validation unless marked train)", "epoch", "nats").xTick(1);
        LineChart klmi = new LineChart("KL and mutual information (validation unless marked train)", "epoch", "nats").xTick(1);
        LineChart au = new LineChart("Validation active units", "epoch", "active units").xTick(1);
        ObjectMapper json = new ObjectMapper();
        int lines = 0;
        boolean latent = false;
        for (String line : Files.readAllLines(metrics)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode r = json.readTree(line);
            int epoch = r.get("epoch").asInt();
            JsonNode v = r.get("valid");
            nats.add("-ELBO", epoch, -v.get("elbo").asDouble());
            nats.add("reconstruction", epoch, v.get("rec").asDouble());
            nats.add("IW-NLL (K=" + v.get("iw_samples").asInt() + ")", epoch, v.get("iw_nll").asDouble());
            nats.add("train reconstruction", epoch, r.get("train_rec").asDouble());
            klmi.add("KL", epoch, v.get("kl").asDouble());
            klmi.add("train KL", epoch, r.get("train_kl").asDouble());
            klmi.add("MI", epoch, v.get("mi").asDouble());
            au.add("active units", epoch, v.get("au").asDouble());
            latent |= v.path("latent_dim").asInt(1) > 0;
            lines++;
        }
        if (lines == 0) {
            throw new IOException(metrics + " has no epochs yet");
        }
        List<Path> out = new ArrayList<>();
        // A language model has no z: its KL, MI and active-unit curves would be flat zeros.
        for (Map.Entry<String, LineChart> e : (latent ? Map.of("nats", nats, "kl-mi", klmi, "au", au) : Map.of("nats", nats)).entrySet()) {
            Path png = Path.of(prefix + "-" + e.getKey() + ".png");
            e.getValue().write(png, 800, 500);
            out.add(png);
        }
        return out;
    }

    /**
     * Encodes a corpus with a bundle on ONNX Runtime and writes the PCA projection of its latent
     * codes (Gaussian means, Bernoulli or categorical probabilities), coloured by genre for a Brown
     * .tsv corpus.
     */
    public static void projection(ModelBundle bundle, Path corpus, Path png) throws IOException {
        SentenceEncoder enc = bundle.sentenceEncoder();
        List<io.latentnlp.models.text.EncodedSentence> ids = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (CorpusSentence s : CorpusReader.read(corpus).sentences()) {
            ids.add(enc.encode(s.tokens()));
            labels.add(s.genre().isEmpty() ? "all" : s.genre());
        }
        float[][] codes;
        try (SentenceVae vae = SentenceVae.open(bundle, SentenceVae.Options.defaults())) {
            Posterior[] q = vae.encodeSentences(ids);
            codes = new float[q.length][];
            for (int i = 0; i < q.length; i++) {
                codes[i] = q[i] instanceof GaussianPosterior g ? g.mean() : q[i].expectation();
            }
        }
        projection(codes, labels, bundle.manifest().name() + ": latent codes of " + corpus.getFileName() + " (PCA)", png);
    }

    /**
     * Writes a scatter plot of the first two principal components of {@code points}, one colour
     * per label (labels in sorted order).
     */
    public static void projection(float[][] points, List<String> labels, String title, Path png) throws IOException {
        io.latentnlp.models.hash.Pca pca = io.latentnlp.models.hash.Pca.fit(points, Math.min(2, points[0].length));
        double[][] pc = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            pc[i] = pca.project(points[i]);
        }
        LineChart chart = new LineChart(title, "principal component 1", "principal component 2").scatter();
        Map<String, List<Integer>> byLabel = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            byLabel.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<String, List<Integer>> e : byLabel.entrySet()) {
            for (int i : e.getValue()) {
                chart.add(e.getKey(), pc[i][0], pc[i][1]);
            }
        }
        chart.write(png, 900, 700);
    }
}
