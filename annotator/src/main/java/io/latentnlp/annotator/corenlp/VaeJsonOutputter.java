package io.latentnlp.annotator.corenlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.AnnotationOutputter;
import edu.stanford.nlp.pipeline.JSONOutputter;
import edu.stanford.nlp.util.CoreMap;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.Posterior;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * CoreNLP's JSON output plus the {@link VaeAnnotator}'s fields, for {@code outputFormat=custom}
 * and {@code customOutputter=io.latentnlp.annotator.corenlp.VaeJsonOutputter} (CoreNLP's own JSON
 * and XML outputters drop keys they do not know).
 *
 * <p>Added: a top-level {@code "vae"} object ({@code documentHash}, {@code documentLatent}); in
 * every sentence a {@code "vae"} object ({@code type}, {@code hash}, {@code bits}, {@code mean}
 * and {@code logvar} or {@code probabilities}, {@code logLikelihood} and {@code
 * logLikelihoodPerToken}, {@code iwaeLogLikelihood} and {@code iwaeLogLikelihoodPerToken} when
 * computed, {@code modelTokens}, {@code modelUnits} ({@code words} or {@code wordpiece}), {@code
 * unknownTokens}, {@code truncated}); in every token read by the model a {@code "vaeLogProb"}: the
 * sum over the model units read from that token (a token the normalizer joined to the one before
 * it, as {@code n't}, has none). Everything else is exactly CoreNLP's JSON.
 */
public class VaeJsonOutputter extends AnnotationOutputter {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void print(Annotation doc, OutputStream target, Options options) throws IOException {
        ByteArrayOutputStream base = new ByteArrayOutputStream();
        new JSONOutputter().print(doc, base, options);
        ObjectNode root = (ObjectNode) JSON.readTree(base.toByteArray());
        addFields(doc, root);
        byte[] out = (options.pretty ? JSON.copy().enable(SerializationFeature.INDENT_OUTPUT) : JSON).writeValueAsBytes(root);
        target.write(out);
        target.write('\n');
        target.flush();
    }

    /** Adds the VAE fields of an annotated document to CoreNLP's JSON tree of it. */
    public static void addFields(Annotation doc, ObjectNode root) {
        ObjectNode d = root.putObject("vae");
        SemanticHash dh = doc.get(VaeAnnotations.DocumentHashAnnotation.class);
        d.put("documentHash", dh == null ? null : dh.toHex());
        float[] dl = doc.get(VaeAnnotations.DocumentLatentAnnotation.class);
        if (dl != null) {
            floats(d.putArray("documentLatent"), dl);
        }
        List<CoreMap> sentences = doc.get(CoreAnnotations.SentencesAnnotation.class);
        JsonNode jsonSentences = root.get("sentences");
        if (sentences == null || jsonSentences == null) {
            return;
        }
        for (int i = 0; i < sentences.size() && i < jsonSentences.size(); i++) {
            CoreMap s = sentences.get(i);
            ObjectNode js = (ObjectNode) jsonSentences.get(i);
            Posterior q = s.get(VaeAnnotations.PosteriorAnnotation.class);
            if (q == null) {
                continue;
            }
            ObjectNode v = js.putObject("vae");
            v.put("type", q.type().label());
            SemanticHash h = s.get(VaeAnnotations.HashAnnotation.class);
            if (h != null) {
                v.put("hash", h.toHex());
                v.put("bits", h.bits());
            }
            q.summary().forEach((field, values) -> floats(v.putArray(field), values));
            double logp = s.get(VaeAnnotations.LogLikelihoodAnnotation.class);
            int n = s.get(VaeAnnotations.ModelTokenCountAnnotation.class);
            v.put("logLikelihood", logp);
            v.put("logLikelihoodPerToken", logp / n);
            Double iw = s.get(VaeAnnotations.IwaeLogLikelihoodAnnotation.class);
            if (iw != null) {
                v.put("iwaeLogLikelihood", iw);
                v.put("iwaeLogLikelihoodPerToken", iw / n);
            }
            v.put("modelTokens", n);
            String units = s.get(VaeAnnotations.ModelUnitsAnnotation.class);
            if (units != null) {
                v.put("modelUnits", units);
            }
            v.put("unknownTokens", s.get(VaeAnnotations.UnknownTokenCountAnnotation.class));
            v.put("truncated", s.get(VaeAnnotations.TruncatedAnnotation.class));
            List<CoreLabel> tokens = s.get(CoreAnnotations.TokensAnnotation.class);
            JsonNode jsonTokens = js.get("tokens");
            if (tokens != null && jsonTokens != null) {
                for (int t = 0; t < tokens.size() && t < jsonTokens.size(); t++) {
                    Double lp = tokens.get(t).get(VaeAnnotations.TokenLogProbAnnotation.class);
                    if (lp != null) {
                        ((ObjectNode) jsonTokens.get(t)).put("vaeLogProb", lp);
                    }
                }
            }
        }
    }

    private static void floats(ArrayNode a, float[] v) {
        for (float f : v) {
            a.add(f);
        }
    }
}
