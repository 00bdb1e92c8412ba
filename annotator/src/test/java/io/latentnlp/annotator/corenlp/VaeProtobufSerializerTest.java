package io.latentnlp.annotator.corenlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.ProtobufAnnotationSerializer;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.util.CoreMap;
import io.latentnlp.models.latent.Posterior;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VaeProtobufSerializerTest {

    static java.util.stream.Stream<String> latentTypes() {
        return java.util.stream.Stream.of("bernoulli", "categorical", "gaussian");
    }

    /** Every latent type's posterior, whatever its parameters, comes back equal. */
    @ParameterizedTest
    @MethodSource("latentTypes")
    void everyVaeKeyRoundTripsThroughCoreNlpsProtobufFormat(String type) throws Exception {
        java.nio.file.Path model = switch (type) {
            case "bernoulli" -> TinyModels.bernoulli();
            case "categorical" -> TinyModels.categorical();
            default -> java.nio.file.Path.of(io.latentnlp.models.bundle.ShippedModels.GAUSSIAN_32);
        };
        StanfordCoreNLP pipeline = new StanfordCoreNLP(VaeAnnotatorTest.props(model, "vae.iwae.samples", "3", "vae.maxLength", "8"));
        Annotation doc = new Annotation("The cat sat on the mat and the cat sat on the mat again. Ships sail.");
        pipeline.annotate(doc);
        // CoreNLP's own serializer refuses the unknown keys
        assertThrows(RuntimeException.class, () -> new ProtobufAnnotationSerializer().write(doc, new ByteArrayOutputStream()));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new VaeProtobufSerializer().write(doc, out);
        Annotation back = new VaeProtobufSerializer().read(new ByteArrayInputStream(out.toByteArray())).first;

        assertEquals(doc.get(VaeAnnotations.DocumentHashAnnotation.class), back.get(VaeAnnotations.DocumentHashAnnotation.class));
        assertArrayEquals(doc.get(VaeAnnotations.DocumentLatentAnnotation.class), back.get(VaeAnnotations.DocumentLatentAnnotation.class));
        List<CoreMap> a = doc.get(CoreAnnotations.SentencesAnnotation.class);
        List<CoreMap> b = back.get(CoreAnnotations.SentencesAnnotation.class);
        assertEquals(2, b.size());
        for (int i = 0; i < a.size(); i++) {
            Posterior qa = a.get(i).get(VaeAnnotations.PosteriorAnnotation.class);
            Posterior qb = b.get(i).get(VaeAnnotations.PosteriorAnnotation.class);
            assertEquals(type, qa.type().label());
            assertEquals(qa, qb, "sentence " + i);
            assertEquals(qa.categories(), qb.categories());
            assertEquals(a.get(i).get(VaeAnnotations.HashAnnotation.class), b.get(i).get(VaeAnnotations.HashAnnotation.class));
            assertEquals(a.get(i).get(VaeAnnotations.LogLikelihoodAnnotation.class), b.get(i).get(VaeAnnotations.LogLikelihoodAnnotation.class));
            assertEquals(a.get(i).get(VaeAnnotations.IwaeLogLikelihoodAnnotation.class), b.get(i).get(VaeAnnotations.IwaeLogLikelihoodAnnotation.class));
            assertEquals(a.get(i).get(VaeAnnotations.ModelTokenCountAnnotation.class), b.get(i).get(VaeAnnotations.ModelTokenCountAnnotation.class));
            assertEquals(a.get(i).get(VaeAnnotations.UnknownTokenCountAnnotation.class), b.get(i).get(VaeAnnotations.UnknownTokenCountAnnotation.class));
            assertEquals(a.get(i).get(VaeAnnotations.TruncatedAnnotation.class), b.get(i).get(VaeAnnotations.TruncatedAnnotation.class));
            assertEquals("words", a.get(i).get(VaeAnnotations.ModelUnitsAnnotation.class));
            assertEquals(a.get(i).get(VaeAnnotations.ModelUnitsAnnotation.class), b.get(i).get(VaeAnnotations.ModelUnitsAnnotation.class));
            List<CoreLabel> ta = a.get(i).get(CoreAnnotations.TokensAnnotation.class);
            List<CoreLabel> tb = b.get(i).get(CoreAnnotations.TokensAnnotation.class);
            for (int t = 0; t < ta.size(); t++) {
                assertEquals(ta.get(t).word(), tb.get(t).word());
                assertEquals(ta.get(t).get(VaeAnnotations.TokenLogProbAnnotation.class), tb.get(t).get(VaeAnnotations.TokenLogProbAnnotation.class), "token " + t);
            }
        }
        assertEquals(Boolean.TRUE, b.get(0).get(VaeAnnotations.TruncatedAnnotation.class), "the long sentence was truncated at 8 tokens");
    }
}
