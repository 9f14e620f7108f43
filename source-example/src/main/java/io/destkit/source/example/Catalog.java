package io.destkit.source.example;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The streams {@code discover} reports: their schemas, sync modes, primary keys and cursors. */
final class Catalog {
  private Catalog() {
  }

  static ObjectNode discovered() {
    ObjectNode catalog = ExampleSource.JSON.createObjectNode();
    ArrayNode streams = catalog.putArray("streams");
    ObjectNode users = stream(streams, "users", "updated_at");
    ObjectNode userFields = properties(users);
    userFields.putObject("id").put("type", "integer");
    userFields.putObject("name").put("type", "string");
    userFields.putObject("email").put("type", "string");
    userFields.putObject("age").put("type", "integer");
    ObjectNode address = userFields.putObject("address").put("type", "object");
    ObjectNode addressFields = address.putObject("properties");
    addressFields.putObject("city").put("type", "string");
    addressFields.putObject("zip").put("type", "string");
    timestamp(userFields, "created_at");
    timestamp(userFields, "updated_at");
    userFields.putObject("version").put("type", "integer");

    ObjectNode purchases = stream(streams, "purchases", "created_at");
    ObjectNode purchaseFields = properties(purchases);
    purchaseFields.putObject("id").put("type", "integer");
    purchaseFields.putObject("user_id").put("type", "integer");
    purchaseFields.putObject("product_id").put("type", "integer");
    purchaseFields.putObject("amount").put("type", "number");
    timestamp(purchaseFields, "created_at");

    ObjectNode products = stream(streams, "products", null);
    ObjectNode productFields = properties(products);
    productFields.putObject("id").put("type", "integer");
    productFields.putObject("name").put("type", "string");
    productFields.putObject("price").put("type", "number");
    return catalog;
  }

  private static ObjectNode stream(ArrayNode streams, String name, String cursor) {
    ObjectNode stream = streams.addObject().put("name", name);
    stream.putObject("json_schema").put("type", "object").put("$schema", "http://json-schema.org/draft-07/schema#");
    ArrayNode modes = stream.putArray("supported_sync_modes").add("full_refresh");
    if (cursor != null) {
      modes.add("incremental");
      stream.put("source_defined_cursor", true);
      stream.putArray("default_cursor_field").add(cursor);
    }
    stream.putArray("source_defined_primary_key").addArray().add("id");
    stream.put("is_resumable", false);
    return stream;
  }

  private static ObjectNode properties(ObjectNode stream) {
    return ((ObjectNode) stream.get("json_schema")).putObject("properties");
  }

  private static void timestamp(ObjectNode fields, String name) {
    fields.putObject(name).put("type", "string").put("format", "date-time").put("airbyte_type", "timestamp_with_timezone");
  }
}
