package io.latentnlp.cli;

import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.training.export.ReExport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent-nlp export}: re-export a finished run with the current exporter. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes a run's bundle again from its best parameters with the current ONNX exporter.",
            "Use it e.g. to add decoder_step.onnx for generation. Keeps the old bundle's name, hash spec, provenance and metrics,",
            "and checks that both bundles encode alike."})
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--run-dir", required = true, paramLabel = "DIR", description = "The finished training run.")
    Path runDir;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "BUNDLE", description = "The bundle the run exported.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "BUNDLE", description = "The new bundle (.vae file, or a directory).")
    Path out;

    @Override
    public Integer call() throws Exception {
        ModelBundle b = ReExport.run(runDir, model, out);
        System.out.println("bundle: " + out + " (" + String.join(", ", b.manifest().files().keySet()) + ")");
        return 0;
    }
}
