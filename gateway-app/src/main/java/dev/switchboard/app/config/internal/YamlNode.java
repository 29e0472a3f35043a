package dev.switchboard.app.config.internal;

import dev.switchboard.app.config.ConfigException;
import dev.switchboard.core.spi.ByteSizes;
import dev.switchboard.core.spi.Durations;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One node of a composed YAML document together with its place in the file, so that every read
 * that fails names the file, the line and the dotted key. The document is composed, never
 * constructed: no Java object is ever instantiated from YAML tags. Strings have {@code
 * ${env.NAME}} references replaced; merge keys ({@code <<: *anchor}) are honoured.
 */
public final class YamlNode {
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env\\.([A-Za-z_][A-Za-z0-9_]*)}");

    private final Source source;
    private final String path;
    private final Node node;

    /**
     * @param file the file name shown in messages
     * @param environment the value of an environment variable, or null when it is unset
     */
    private record Source(String file, UnaryOperator<String> environment) {}

    private YamlNode(Source source, String path, Node node) {
        this.source = source;
        this.path = path;
        this.node = node;
    }

    /**
     * Composes a YAML text; an empty text reads as an empty map.
     *
     * @param file the file name shown in messages
     * @param environment looks up {@code ${env.NAME}} references; returns null for unset names
     * @throws ConfigException on a syntax error
     */
    public static YamlNode parse(String file, String text, UnaryOperator<String> environment) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Node root;
        try {
            root = yaml.compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            throw new ConfigException(file, mark == null ? 0 : mark.getLine() + 1, "", e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(file, 0, "", e.getMessage());
        }
        if (root == null) {
            root = new MappingNode(Tag.MAP, List.of(), DumperOptions.FlowStyle.BLOCK);
        }
        return new YamlNode(new Source(file, environment), "", root);
    }

    /** The dotted path of this node, such as {@code scheduler.queue.timeout} or {@code gpus[1]}. */
    public String path() {
        return path;
    }

    /** The 1-based line this node starts on, or 0 when unknown. */
    public int line() {
        Mark mark = node.getStartMark();
        return mark == null ? 0 : mark.getLine() + 1;
    }

    /** A problem with this node, as an exception naming file, line and key. */
    public ConfigException error(String problem) {
        return new ConfigException(source.file(), line(), path, problem);
    }

    /** A problem with this node that is only worth a warning, in the same form as an error. */
    public String warning(String problem) {
        return error(problem).getMessage();
    }

    public boolean isNull() {
        return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
    }

    public boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    /** A text value with environment references expanded. */
    public String string() {
        return expand(scalarText("a string"));
    }

    /** A text value that must not be empty. */
    public String nonEmptyString() {
        String value = string();
        if (value.isBlank()) {
            throw error("must not be empty");
        }
        return value;
    }

    /** A whole number; quoted numbers are accepted too. */
    public int integer() {
        return integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A whole number within bounds (inclusive). */
    public int integer(int min, int max) {
        String text = expand(scalarText("a number"));
        int value;
        try {
            value = Integer.parseInt(text.replace("_", "").trim());
        } catch (NumberFormatException e) {
            throw error("must be a number, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw error(
                    max == Integer.MAX_VALUE
                            ? "must be " + min + " or more, got " + value
                            : "must lie in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    /** {@code true} or {@code false} (also yes/no, on/off). */
    public boolean bool() {
        String text = expand(scalarText("true or false"));
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("must be true or false, got '" + text + "'");
        };
    }

    /** A duration such as {@code 30s}, {@code 5m} or {@code 1h}; a bare number means seconds. */
    public Duration duration() {
        String text = expand(scalarText("a duration"));
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw error("must be a duration such as 30s, 5m or 1h, got '" + text + "'");
        }
    }

    /** A duration longer than zero. */
    public Duration positiveDuration() {
        Duration value = duration();
        if (value.isZero()) {
            throw error("must be longer than 0");
        }
        return value;
    }

    /** A memory size such as {@code 24GiB}; a bare number means bytes. */
    public long byteSize() {
        String text = expand(scalarText("a size"));
        try {
            return ByteSizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw error("must be a size such as 24GiB or 512MiB, got '" + text + "'");
        }
    }

    /** The items of a list. */
    public List<YamlNode> items() {
        if (!(node instanceof SequenceNode sequence)) {
            throw error("must be a list, got " + kind());
        }
        List<YamlNode> items = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            items.add(new YamlNode(source, path + "[" + items.size() + "]", item));
        }
        return items;
    }

    /** A list of texts. */
    public List<String> strings() {
        return items().stream().map(YamlNode::string).toList();
    }

    /** The entries of a map, in file order, merge keys applied. */
    public Map<String, YamlNode> entries() {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        tuples().forEach((key, tuple) -> entries.put(key, child(key, tuple.getValueNode())));
        return entries;
    }

    /** The value of a key of this map; absent when the key is missing or has no value. */
    public Optional<YamlNode> get(String key) {
        NodeTuple tuple = tuples().get(key);
        if (tuple == null) {
            return Optional.empty();
        }
        YamlNode value = child(key, tuple.getValueNode());
        return value.isNull() ? Optional.empty() : Optional.of(value);
    }

    /** The value of a key that must be present. */
    public YamlNode require(String key) {
        return get(key).orElseThrow(() -> new ConfigException(source.file(), line(), childPath(key), "is required"));
    }

    /** Fails on the first key of this map that is not one of {@code known}. */
    public void allowOnly(Collection<String> known) {
        tuples().forEach((key, tuple) -> {
            if (!known.contains(key)) {
                throw child(key, tuple.getKeyNode()).error("unknown key; expected one of: " + String.join(", ", known));
            }
        });
    }

    /**
     * This node as plain Java values: maps (insertion-ordered), lists, strings, integers, longs,
     * doubles and booleans; what backend options and metadata are made of.
     */
    public Object plain() {
        if (node instanceof MappingNode) {
            return plainMap();
        }
        if (node instanceof SequenceNode) {
            return items().stream().map(YamlNode::plain).toList();
        }
        if (isNull()) {
            throw error("must have a value");
        }
        Tag tag = node.getTag();
        String text = ((ScalarNode) node).getValue().replace("_", "");
        try {
            if (tag.equals(Tag.BOOL)) {
                return bool();
            }
            if (tag.equals(Tag.INT)) {
                long value = Long.parseLong(text);
                return value == (int) value ? (Object) (int) value : (Object) value;
            }
            if (tag.equals(Tag.FLOAT)) {
                return Double.parseDouble(text);
            }
        } catch (NumberFormatException e) {
            // YAML 1.1 numbers Java does not parse (0x1F, 1:30, .inf) stay text
        }
        return string();
    }

    /** A map as plain Java values, in file order (see {@link #plain()}). */
    public Map<String, Object> plainMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        entries().forEach((key, value) -> map.put(key, value.plain()));
        return map;
    }

    /** A list of {@code NAME=value} texts, such as environment assignments, as a map. */
    public Map<String, String> assignments() {
        Map<String, String> map = new LinkedHashMap<>();
        for (YamlNode item : items()) {
            String entry = item.string();
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw item.error("must look like NAME=value, got '" + entry + "'");
            }
            map.put(entry.substring(0, equals), entry.substring(equals + 1));
        }
        return map;
    }

    private Map<String, NodeTuple> tuples() {
        if (!(node instanceof MappingNode mapping)) {
            throw error("must be a map of settings, got " + kind());
        }
        Map<String, NodeTuple> own = new LinkedHashMap<>();
        List<NodeTuple> merged = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node key = tuple.getKeyNode();
            if (key.getTag().equals(Tag.MERGE)) {
                merged.addAll(mergedTuples(tuple.getValueNode()));
            } else if (!(key instanceof ScalarNode scalar)) {
                throw new YamlNode(source, path, key).error("keys must be plain names");
            } else if (own.putIfAbsent(scalar.getValue(), tuple) != null) {
                throw child(scalar.getValue(), key).error("duplicate key");
            }
        }
        // explicit keys win over merged ones, as YAML merge keys specify
        for (NodeTuple tuple : merged) {
            own.putIfAbsent(((ScalarNode) tuple.getKeyNode()).getValue(), tuple);
        }
        return own;
    }

    private List<NodeTuple> mergedTuples(Node value) {
        List<Node> sources = value instanceof SequenceNode sequence ? sequence.getValue() : List.of(value);
        List<NodeTuple> tuples = new ArrayList<>();
        for (Node merged : sources) {
            new YamlNode(source, path, merged).tuples().values().forEach(tuples::add);
        }
        return tuples;
    }

    private String scalarText(String expected) {
        if (!isScalar()) {
            throw error("must be " + expected + ", got " + kind());
        }
        return ((ScalarNode) node).getValue();
    }

    private String kind() {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return isNull() ? "nothing" : "'" + ((ScalarNode) node).getValue() + "'";
    }

    private String expand(String text) {
        Matcher m = ENV_REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = source.environment().apply(m.group(1));
            if (value == null) {
                throw error("environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private YamlNode child(String key, Node child) {
        return new YamlNode(source, childPath(key), child);
    }

    private String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
