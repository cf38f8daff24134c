package dev.flightdeck.repository;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A mapping read from {@code feature_store.yaml}, with the place it came from, so that every error
 * names the bad entry. Unknown keys are refused.
 */
final class YamlSection {
  private final JsonNode node;
  private final String where;

  YamlSection(JsonNode node, String where) {
    this.where = requireNonNull(where, "where is null");
    if (node == null || !node.isObject()) {
      throw Names.invalid(where + ": expected a mapping of keys to values");
    }
    this.node = node;
  }

  String where() {
    return where;
  }

  void allowOnly(Set<String> known) {
    Set<String> unknown = new TreeSet<>();
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!known.contains(name)) {
                unknown.add(name);
              }
            });
    if (!unknown.isEmpty()) {
      throw Names.invalid(
          where + ": unknown key(s) " + unknown + " (known: " + new TreeSet<>(known) + ")");
    }
  }

  String requireString(String key) {
    return optionalString(key)
        .orElseThrow(() -> Names.invalid(where + ": missing required key '" + key + "'"));
  }

  Optional<String> optionalString(String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isValueNode() || value.isBinary()) {
      throw Names.invalid(
          where
              + ": key '"
              + key
              + "' must be a single value, not "
              + value.getNodeType().name().toLowerCase());
    }
    return Optional.of(value.asText());
  }

  List<String> stringList(String key, boolean required) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      if (required) {
        throw Names.invalid(where + ": missing required key '" + key + "'");
      }
      return List.of();
    }
    if (!value.isArray()) {
      throw Names.invalid(where + ": key '" + key + "' must be a list");
    }
    List<String> items = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isValueNode() || item.isNull()) {
        throw Names.invalid(where + ": key '" + key + "' must list plain values, found " + item);
      }
      items.add(item.asText());
    }
    return items;
  }

  /** A list of mappings; each section's place reads {@code key[i] 'name'} when it has a name. */
  List<YamlSection> sectionList(String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw Names.invalid(where + ": key '" + key + "' must be a list");
    }
    List<YamlSection> sections = new ArrayList<>();
    int index = 0;
    for (JsonNode item : value) {
      JsonNode name = item.get("name");
      String place =
          key
              + "["
              + index
              + "]"
              + (name != null && name.isTextual() ? " '" + name.asText() + "'" : "");
      sections.add(new YamlSection(item, where.isEmpty() ? place : where + "." + place));
      index++;
    }
    return sections;
  }

  Optional<YamlSection> section(String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    return Optional.of(new YamlSection(value, where.isEmpty() ? key : where + "." + key));
  }

  /** A flat mapping of names to plain values, such as {@code field_mapping} or backend keys. */
  Map<String, String> stringMap(Set<String> except) {
    Map<String, String> values = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (except.contains(field.getKey())) {
        continue;
      }
      if (!field.getValue().isValueNode() || field.getValue().isNull()) {
        throw Names.invalid(where + ": key '" + field.getKey() + "' must be a single value");
      }
      values.put(field.getKey(), field.getValue().asText());
    }
    return values;
  }
}
