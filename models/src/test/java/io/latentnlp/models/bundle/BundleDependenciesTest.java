package io.latentnlp.models.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * ModelBundle and ShippedModels depend one way only: ShippedModels on ModelBundle. Read from the
 * compiled classes (class names in each constant pool, followed through every class of
 * {@code io.latentnlp.models} they reach), so a javadoc link does not count and a detour through
 * a helper does.
 */
class BundleDependenciesTest {

    private static final Pattern CLASS_NAME = Pattern.compile("io/latentnlp/models/[A-Za-z0-9_/$]+");

    @Test
    void modelBundleDoesNotReachShippedModels() throws IOException {
        Map<String, String> reached = reachableFrom(name(ModelBundle.class));
        assertTrue(reached.containsKey(name(ShippedResources.class)), "the walk follows ModelBundle's helpers: " + reached.keySet());
        assertEquals(List.of(), path(reached, name(ShippedModels.class)),
                "ModelBundle reaches ShippedModels (the path shown); a shipped base is read through ShippedResources");
    }

    @Test
    void shippedModelsLoadsThroughModelBundle() throws IOException {
        assertTrue(reachableFrom(name(ShippedModels.class)).containsKey(name(ModelBundle.class)));
    }

    private static String name(Class<?> c) {
        return c.getName().replace('.', '/');
    }

    /** Every class of io.latentnlp.models reached from {@code start}, each with the class that first named it. */
    private static Map<String, String> reachableFrom(String start) throws IOException {
        Map<String, String> from = new LinkedHashMap<>();
        from.put(start, null);
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String c = todo.pop();
            try (InputStream in = BundleDependenciesTest.class.getClassLoader().getResourceAsStream(c + ".class")) {
                if (in == null) {
                    continue;   // a package or a descriptor fragment, not a class
                }
                Matcher m = CLASS_NAME.matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    if (!from.containsKey(m.group())) {
                        from.put(m.group(), c);
                        todo.push(m.group());
                    }
                }
            }
        }
        return from;
    }

    /** The chain from the start to {@code target}, empty when it is not reached. */
    private static List<String> path(Map<String, String> from, String target) {
        List<String> chain = new ArrayList<>();
        for (String c = from.containsKey(target) ? target : null; c != null; c = from.get(c)) {
            chain.add(0, c);
        }
        return chain;
    }
}
