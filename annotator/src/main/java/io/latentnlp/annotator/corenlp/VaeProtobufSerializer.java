package io.latentnlp.annotator.corenlp;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.ExtensionRegistry;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.CoreNLPProtos;
import edu.stanford.nlp.pipeline.ProtobufAnnotationSerializer;
import edu.stanford.nlp.util.CoreMap;
import edu.stanford.nlp.util.Pair;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.latent.Posterior;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * CoreNLP's protobuf serializer extended with the {@link VaeAnnotator}'s keys, for {@code
 * outputFormat=serialized} with {@code serializer=io.latentnlp.annotator.corenlp.VaeProtobufSerializer}
 * (CoreNLP's own serializer throws on keys it does not know). The keys travel in protobuf
 * extensions of CoreNLP.proto's {@code Document}, {@code Sentence} and {@code Token} (field 100 of
 * their extension ranges), described at run time, so no generated code is needed:
 *
 * <pre>
 * message VaeSentence { optional string type = 1; optional string hash = 2; optional int32 bits = 3;
 *   repeated float mean = 4 [packed]; repeated float logvar = 5 [packed]; repeated float logits = 6 [packed];
 *   optional int32 categories = 7; optional double log_likelihood = 8; optional double iwae_log_likelihood = 9;
 *   optional int32 model_tokens = 10; optional int32 unknown_tokens = 11; optional bool truncated = 12;
 *   optional string model_units = 13; }
 * message VaeDocument { optional string hash = 1; optional int32 bits = 2; repeated float latent = 3 [packed]; }
 * extend Sentence { optional VaeSentence vae = 100; }  extend Document { optional VaeDocument vae = 100; }
 * extend Token { optional double vae_log_prob = 100; }
 * </pre>
 *
 * {@link #read} restores every key, so a document round-trips. Thread-safe as CoreNLP's serializer.
 */
public class VaeProtobufSerializer extends ProtobufAnnotationSerializer {

    /** Extension field number in CoreNLP.proto's extension ranges (100 to 255). */
    public static final int FIELD = 100;

    static final Descriptors.Descriptor SENTENCE_MESSAGE;
    static final Descriptors.Descriptor DOCUMENT_MESSAGE;
    static final FieldDescriptor SENTENCE_EXTENSION;
    static final FieldDescriptor DOCUMENT_EXTENSION;
    static final FieldDescriptor TOKEN_EXTENSION;
    private static final ExtensionRegistry REGISTRY = ExtensionRegistry.newInstance();

    static {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("latentnlp_vae.proto").setPackage("io.latentnlp").addDependency(CoreNLPProtos.getDescriptor().getName())
                .addMessageType(DescriptorProto.newBuilder().setName("VaeSentence")
                        .addField(field("type", 1, Type.TYPE_STRING, false)).addField(field("hash", 2, Type.TYPE_STRING, false))
                        .addField(field("bits", 3, Type.TYPE_INT32, false)).addField(field("mean", 4, Type.TYPE_FLOAT, true))
                        .addField(field("logvar", 5, Type.TYPE_FLOAT, true)).addField(field("logits", 6, Type.TYPE_FLOAT, true))
                        .addField(field("categories", 7, Type.TYPE_INT32, false)).addField(field("log_likelihood", 8, Type.TYPE_DOUBLE, false))
                        .addField(field("iwae_log_likelihood", 9, Type.TYPE_DOUBLE, false)).addField(field("model_tokens", 10, Type.TYPE_INT32, false))
                        .addField(field("unknown_tokens", 11, Type.TYPE_INT32, false)).addField(field("truncated", 12, Type.TYPE_BOOL, false))
                        .addField(field("model_units", 13, Type.TYPE_STRING, false)))
                .addMessageType(DescriptorProto.newBuilder().setName("VaeDocument")
                        .addField(field("hash", 1, Type.TYPE_STRING, false)).addField(field("bits", 2, Type.TYPE_INT32, false))
                        .addField(field("latent", 3, Type.TYPE_FLOAT, true)))
                .addExtension(extension("vae", ".io.latentnlp.VaeSentence", ".edu.stanford.nlp.pipeline.Sentence", Type.TYPE_MESSAGE))
                .addExtension(extension("vae_document", ".io.latentnlp.VaeDocument", ".edu.stanford.nlp.pipeline.Document", Type.TYPE_MESSAGE))
                .addExtension(extension("vae_log_prob", null, ".edu.stanford.nlp.pipeline.Token", Type.TYPE_DOUBLE))
                .build();
        try {
            Descriptors.FileDescriptor fd = Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[] {CoreNLPProtos.getDescriptor()});
            SENTENCE_MESSAGE = fd.findMessageTypeByName("VaeSentence");
            DOCUMENT_MESSAGE = fd.findMessageTypeByName("VaeDocument");
            SENTENCE_EXTENSION = fd.findExtensionByName("vae");
            DOCUMENT_EXTENSION = fd.findExtensionByName("vae_document");
            TOKEN_EXTENSION = fd.findExtensionByName("vae_log_prob");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
        REGISTRY.add(SENTENCE_EXTENSION, DynamicMessage.getDefaultInstance(SENTENCE_MESSAGE));
        REGISTRY.add(DOCUMENT_EXTENSION, DynamicMessage.getDefaultInstance(DOCUMENT_MESSAGE));
        REGISTRY.add(TOKEN_EXTENSION);
    }

    private static FieldDescriptorProto field(String name, int number, Type type, boolean repeated) {
        FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(repeated ? Label.LABEL_REPEATED : Label.LABEL_OPTIONAL);
        if (repeated) {
            b.setOptions(FieldOptions.newBuilder().setPacked(true));
        }
        return b.build();
    }

    private static FieldDescriptorProto extension(String name, String typeName, String extendee, Type type) {
        FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder().setName(name).setNumber(FIELD).setType(type)
                .setLabel(Label.LABEL_OPTIONAL).setExtendee(extendee);
        if (typeName != null) {
            b.setTypeName(typeName);
        }
        return b.build();
    }

    public VaeProtobufSerializer() {
        super();
    }

    /** The constructor CoreNLP's {@code serializer} property uses. */
    public VaeProtobufSerializer(String name, Properties props) {
        super();
    }

    @Override
    protected CoreNLPProtos.Token.Builder toProtoBuilder(CoreLabel token, Set<Class<?>> keysToSerialize, Set<Class<?>> keysToSkip) {
        keysToSerialize.remove(VaeAnnotations.TokenLogProbAnnotation.class);
        CoreNLPProtos.Token.Builder b = super.toProtoBuilder(token, keysToSerialize, keysToSkip);
        Double lp = token.get(VaeAnnotations.TokenLogProbAnnotation.class);
        if (lp != null) {
            b.setField(TOKEN_EXTENSION, lp);
        }
        return b;
    }

    private static final List<Class<?>> SENTENCE_KEYS = List.of(VaeAnnotations.PosteriorAnnotation.class, VaeAnnotations.HashAnnotation.class,
            VaeAnnotations.LogLikelihoodAnnotation.class, VaeAnnotations.IwaeLogLikelihoodAnnotation.class, VaeAnnotations.ModelTokenCountAnnotation.class,
            VaeAnnotations.UnknownTokenCountAnnotation.class, VaeAnnotations.TruncatedAnnotation.class, VaeAnnotations.ModelUnitsAnnotation.class);

    @Override
    protected CoreNLPProtos.Sentence.Builder toProtoBuilder(CoreMap sentence, Set<Class<?>> keysToSerialize) {
        SENTENCE_KEYS.forEach(keysToSerialize::remove);
        CoreNLPProtos.Sentence.Builder b = super.toProtoBuilder(sentence, keysToSerialize);
        Posterior q = sentence.get(VaeAnnotations.PosteriorAnnotation.class);
        if (q == null) {
            return b;
        }
        DynamicMessage.Builder v = DynamicMessage.newBuilder(SENTENCE_MESSAGE);
        v.setField(f(SENTENCE_MESSAGE, "type"), q.type().label());
        SemanticHash h = sentence.get(VaeAnnotations.HashAnnotation.class);
        if (h != null) {
            v.setField(f(SENTENCE_MESSAGE, "hash"), h.toHex());
            v.setField(f(SENTENCE_MESSAGE, "bits"), h.bits());
        }
        q.parameters().forEach((field, values) -> floats(v, f(SENTENCE_MESSAGE, field), values));
        if (q.categories() > 0) {
            v.setField(f(SENTENCE_MESSAGE, "categories"), q.categories());
        }
        set(v, "log_likelihood", sentence.get(VaeAnnotations.LogLikelihoodAnnotation.class));
        set(v, "iwae_log_likelihood", sentence.get(VaeAnnotations.IwaeLogLikelihoodAnnotation.class));
        set(v, "model_tokens", sentence.get(VaeAnnotations.ModelTokenCountAnnotation.class));
        set(v, "unknown_tokens", sentence.get(VaeAnnotations.UnknownTokenCountAnnotation.class));
        set(v, "truncated", sentence.get(VaeAnnotations.TruncatedAnnotation.class));
        set(v, "model_units", sentence.get(VaeAnnotations.ModelUnitsAnnotation.class));
        b.setField(SENTENCE_EXTENSION, v.build());
        return b;
    }

    @Override
    protected CoreNLPProtos.Document.Builder toProtoBuilder(Annotation doc, Set<Class<?>> keysToSerialize) {
        keysToSerialize.remove(VaeAnnotations.DocumentHashAnnotation.class);
        keysToSerialize.remove(VaeAnnotations.DocumentLatentAnnotation.class);
        CoreNLPProtos.Document.Builder b = super.toProtoBuilder(doc, keysToSerialize);
        SemanticHash h = doc.get(VaeAnnotations.DocumentHashAnnotation.class);
        float[] latent = doc.get(VaeAnnotations.DocumentLatentAnnotation.class);
        if (h != null || latent != null) {
            DynamicMessage.Builder v = DynamicMessage.newBuilder(DOCUMENT_MESSAGE);
            if (h != null) {
                v.setField(f(DOCUMENT_MESSAGE, "hash"), h.toHex());
                v.setField(f(DOCUMENT_MESSAGE, "bits"), h.bits());
            }
            if (latent != null) {
                floats(v, f(DOCUMENT_MESSAGE, "latent"), latent);
            }
            b.setField(DOCUMENT_EXTENSION, v.build());
        }
        return b;
    }

    /** Reads a document written by {@link #write}, VAE keys included. */
    @Override
    public Pair<Annotation, InputStream> read(InputStream is) throws IOException {
        CoreNLPProtos.Document proto = CoreNLPProtos.Document.parseDelimitedFrom(is, REGISTRY);
        Annotation doc = fromProto(proto);
        restore(proto, doc);
        return Pair.makePair(doc, is);
    }

    /** Puts the VAE keys of a parsed protobuf document back on its annotation. */
    static void restore(CoreNLPProtos.Document proto, Annotation doc) {
        if (proto.hasField(DOCUMENT_EXTENSION)) {
            DynamicMessage v = (DynamicMessage) proto.getField(DOCUMENT_EXTENSION);
            if (v.hasField(f(DOCUMENT_MESSAGE, "hash"))) {
                doc.set(VaeAnnotations.DocumentHashAnnotation.class, SemanticHash.fromHex((String) v.getField(f(DOCUMENT_MESSAGE, "hash")),
                        (Integer) v.getField(f(DOCUMENT_MESSAGE, "bits"))));
            }
            if (v.getRepeatedFieldCount(f(DOCUMENT_MESSAGE, "latent")) > 0) {
                doc.set(VaeAnnotations.DocumentLatentAnnotation.class, floats(v, f(DOCUMENT_MESSAGE, "latent")));
            }
        }
        List<CoreMap> sentences = doc.get(CoreAnnotations.SentencesAnnotation.class);
        for (int i = 0; sentences != null && i < sentences.size(); i++) {
            CoreNLPProtos.Sentence ps = proto.getSentence(i);
            CoreMap s = sentences.get(i);
            if (ps.hasField(SENTENCE_EXTENSION)) {
                DynamicMessage v = (DynamicMessage) ps.getField(SENTENCE_EXTENSION);
                LatentType type = LatentType.valueOf(((String) v.getField(f(SENTENCE_MESSAGE, "type"))).toUpperCase(Locale.ROOT));
                int categories = v.hasField(f(SENTENCE_MESSAGE, "categories")) ? (Integer) v.getField(f(SENTENCE_MESSAGE, "categories")) : 0;
                int sentence = i;
                Posterior q;
                try {
                    q = Posterior.fromParameters(type, categories, field -> v.getRepeatedFieldCount(f(SENTENCE_MESSAGE, field)) > 0 ? floats(v, f(SENTENCE_MESSAGE, field)) : null);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("sentence " + sentence + ": " + e.getMessage(), e);
                }
                s.set(VaeAnnotations.PosteriorAnnotation.class, q);
                if (v.hasField(f(SENTENCE_MESSAGE, "hash"))) {
                    s.set(VaeAnnotations.HashAnnotation.class, SemanticHash.fromHex((String) v.getField(f(SENTENCE_MESSAGE, "hash")),
                            (Integer) v.getField(f(SENTENCE_MESSAGE, "bits"))));
                }
                s.set(VaeAnnotations.LogLikelihoodAnnotation.class, (Double) get(v, "log_likelihood"));
                s.set(VaeAnnotations.IwaeLogLikelihoodAnnotation.class, (Double) get(v, "iwae_log_likelihood"));
                s.set(VaeAnnotations.ModelTokenCountAnnotation.class, (Integer) get(v, "model_tokens"));
                s.set(VaeAnnotations.UnknownTokenCountAnnotation.class, (Integer) get(v, "unknown_tokens"));
                s.set(VaeAnnotations.TruncatedAnnotation.class, (Boolean) get(v, "truncated"));
                if (v.hasField(f(SENTENCE_MESSAGE, "model_units"))) {
                    s.set(VaeAnnotations.ModelUnitsAnnotation.class, (String) get(v, "model_units"));
                }
            }
            List<CoreLabel> tokens = s.get(CoreAnnotations.TokensAnnotation.class);
            for (int t = 0; tokens != null && t < tokens.size() && t < ps.getTokenCount(); t++) {
                if (ps.getToken(t).hasField(TOKEN_EXTENSION)) {
                    tokens.get(t).set(VaeAnnotations.TokenLogProbAnnotation.class, (Double) ps.getToken(t).getField(TOKEN_EXTENSION));
                }
            }
        }
    }

    private static FieldDescriptor f(Descriptors.Descriptor m, String name) {
        return m.findFieldByName(name);
    }

    private static void set(DynamicMessage.Builder v, String name, Object value) {
        if (value != null) {
            v.setField(f(SENTENCE_MESSAGE, name), value);
        }
    }

    private static Object get(DynamicMessage v, String name) {
        FieldDescriptor fd = f(SENTENCE_MESSAGE, name);
        return v.hasField(fd) ? v.getField(fd) : null;
    }

    private static void floats(DynamicMessage.Builder v, FieldDescriptor fd, float[] values) {
        for (float x : values) {
            v.addRepeatedField(fd, x);
        }
    }

    private static float[] floats(DynamicMessage v, FieldDescriptor fd) {
        float[] out = new float[v.getRepeatedFieldCount(fd)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Float) v.getRepeatedField(fd, i);
        }
        return out;
    }
}
