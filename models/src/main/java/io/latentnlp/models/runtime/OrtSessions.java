package io.latentnlp.models.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.latentnlp.models.bundle.BundleException;
import java.util.Map;
import java.util.Set;

/**
 * Opens ONNX Runtime sessions the one way every graph of the project is opened: all graph
 * optimizations, a fixed intra-op thread count, and the graph's input and output names checked
 * against the ONNX contract before the session is handed out (a session that fails a check is
 * closed).
 */
public final class OrtSessions {

    private OrtSessions() {}

    /**
     * Opens a graph.
     *
     * @param where what to name in errors, e.g. {@code bundle.vae!encoder.onnx}
     * @param intraOpThreads ONNX Runtime threads per call, 0 = its default (all cores)
     * @param inputs the exact input names, or null to accept any
     * @param outputs the exact output names, or null to accept any
     * @throws BundleException when ONNX Runtime cannot load the graph or its names differ
     */
    public static OrtSession open(String where, byte[] graph, int intraOpThreads, Set<String> inputs, Set<String> outputs) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            if (intraOpThreads > 0) {
                so.setIntraOpNumThreads(intraOpThreads);
            }
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = env.createSession(graph, so);
            try {
                check(where, "inputs", session.getInputInfo(), inputs);
                check(where, "outputs", session.getOutputInfo(), outputs);
            } catch (RuntimeException | OrtException e) {
                session.close();
                throw e;
            }
            return session;
        } catch (OrtException e) {
            throw new BundleException(where + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
    }

    private static void check(String where, String what, Map<String, NodeInfo> actual, Set<String> expected) {
        if (expected != null && !actual.keySet().equals(expected)) {
            throw new BundleException(where + ": graph " + what + " are " + actual.keySet() + " but the ONNX contract needs " + expected);
        }
    }
}
