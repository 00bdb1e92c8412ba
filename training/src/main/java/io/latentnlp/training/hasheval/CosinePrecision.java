package io.latentnlp.training.hasheval;

import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.IntStream;

/**
 * Precision@k of float vectors by cosine: the float counterpart of {@link
 * io.latentnlp.models.hash.PrecisionAtK}, the reference that binary codes of the same vectors
 * approximate. Each query retrieves the {@code k} database vectors of highest cosine; ties go to
 * the lower database index. Exact (a full scan per query, queries in parallel). Stateless.
 */
final class CosinePrecision {

    private CosinePrecision() {}

    /** Mean precision@k over the queries, in [0, 1]; vectors of any norm (zero vectors have cosine 0 to everything). */
    static double mean(float[][] queries, List<String> queryLabels, float[][] database, List<String> databaseLabels, int k) {
        if (k < 1 || k > database.length) {
            throw new IllegalArgumentException("illegal k " + k + ": must be in [1, " + database.length + "]");
        }
        if (queries.length == 0 || queries.length != queryLabels.size() || database.length != databaseLabels.size()) {
            throw new IllegalArgumentException("every vector needs a label: " + queries.length + " queries with " + queryLabels.size() + " labels, "
                    + database.length + " database vectors with " + databaseLabels.size() + " labels");
        }
        float[][] db = unit(database);
        float[][] q = unit(queries);
        return IntStream.range(0, q.length).parallel().mapToDouble(i -> precision(q[i], queryLabels.get(i), db, databaseLabels, k)).sum() / q.length;
    }

    private static double precision(float[] query, String label, float[][] db, List<String> dbLabels, int k) {
        // Min-heap of the k best so far: worst on top (lower cosine, or the same cosine and a higher index).
        PriorityQueue<double[]> best = new PriorityQueue<>(k + 1, (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(b[1], a[1]));
        for (int i = 0; i < db.length; i++) {
            double c = dot(query, db[i]);
            if (best.size() < k) {
                best.add(new double[] {c, i});
            } else if (c > best.peek()[0]) {
                best.poll();
                best.add(new double[] {c, i});
            }
        }
        int relevant = 0;
        for (double[] hit : best) {
            if (dbLabels.get((int) hit[1]).equals(label)) {
                relevant++;
            }
        }
        return relevant / (double) k;
    }

    /** Four running sums: the JIT does not reorder a floating-point reduction, so one sum would wait on every add. */
    private static double dot(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = a.length;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static float[][] unit(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            double n = 0;
            for (float v : x[i]) {
                n += v * v;
            }
            float scale = n > 0 ? (float) (1 / Math.sqrt(n)) : 0;
            out[i] = new float[x[i].length];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = x[i][j] * scale;
            }
        }
        return out;
    }
}
