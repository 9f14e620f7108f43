package io.destkit.sql;

import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.typing.AirbyteType;

/** A dialect that overrides nothing: the kit's standard statements, with DuckDB's type names. */
final class StandardDialect implements SqlDialect {
  private static final TypeNames TYPES =
      TypeNames.builder()
          .string("VARCHAR")
          .bool("BOOLEAN")
          .integer("BIGINT")
          .number("DECIMAL(38, 9)")
          .date("DATE")
          .timestampWithTimezone("TIMESTAMP WITH TIME ZONE")
          .timestampWithoutTimezone("TIMESTAMP")
          .timeWithTimezone("TIME WITH TIME ZONE")
          .timeWithoutTimezone("TIME")
          .json("JSON")
          .build();

  @Override
  public String columnType(AirbyteType type) {
    return TYPES.of(type);
  }

  @Override
  public String metaColumnType(String metaColumn) {
    return switch (metaColumn) {
      case MetaColumns.RAW_ID -> "UUID";
      case MetaColumns.EXTRACTED_AT -> "TIMESTAMP WITH TIME ZONE";
      case MetaColumns.META -> "JSON";
      case MetaColumns.GENERATION_ID -> "BIGINT";
      default -> throw new IllegalArgumentException("not a meta column: " + metaColumn);
    };
  }
}
