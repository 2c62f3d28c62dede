package kcp.oracle;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.storage.internals.log.RecordValidationException;

/**
 * The Kafka oracle's entry point: {@code Main <scripts.jsonl> <results.jsonl>}. Each input line is
 * {@code {"id": ..., "script": ...}}; each output line is that script run through Kafka's own classes
 * ({@link Broker}), in the shape of the playground's {@code run --json}: {@code now_ms}, {@code topics}
 * and {@code steps}. One JVM runs every script, each in a fresh log directory under {@code /dev/shm}
 * when it exists (Kafka fsyncs; memory makes that free).
 */
public final class Main {
    public static void main(String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path base = Files.createTempDirectory(
                Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir")),
                "kcp-oracle-");
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8);
             BufferedWriter out = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode input = json.readTree(line);
                Path dir = base.resolve("s" + n++);
                Path logDir = Files.createDirectories(dir.resolve("logs"));
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("id", input.get("id").asText());
                result.putAll(run(input.get("script").asText(), logDir.toFile()));
                out.write(json.writeValueAsString(result));
                out.newLine();
                deleteRecursively(dir.toFile());
            }
        } finally {
            deleteRecursively(base.toFile());
        }
    }

    /** Runs one script: every step's result, then the broker at the end. */
    static Map<String, Object> run(String script, File logDir) {
        List<Object> steps = new ArrayList<>();
        Map<String, Object> out = new LinkedHashMap<>();
        try (Broker broker = new Broker(logDir)) {
            for (Script.Line l : Script.lines(script)) {
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("line", l.number());
                step.put("command", l.word());
                step.put("ok", true);
                try {
                    Broker.Command c = Broker.COMMANDS.get(l.word());
                    if (c == null) {
                        throw new IllegalStateException("the harness has no command '" + l.word() + "'");
                    }
                    c.run(broker, l.rest(), step);
                } catch (Broker.Rejected | KafkaException | RecordValidationException e) {
                    Map<String, Object> failed = new LinkedHashMap<>();
                    failed.put("line", l.number());
                    failed.put("command", l.word());
                    failed.put("ok", false);
                    failed.put("error", Broker.errorText(e));
                    failed.put("error_class", e.getClass().getSimpleName());
                    step = failed;
                } catch (Exception e) {
                    // Not a rejection Kafka makes: a harness bug (or an unexpected Kafka failure).
                    step.put("ok", false);
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    step.put("harness_error", trace.toString());
                }
                broker.touchSegments(l.word().equals("clean"));
                steps.add(step);
            }
            out.putAll(broker.snapshot());
        }
        out.put("steps", steps);
        return out;
    }

    static void deleteRecursively(File f) {
        File[] children = f.listFiles();
        if (children != null) {
            for (File c : children) {
                deleteRecursively(c);
            }
        }
        f.delete();
    }

    private Main() {}
}
