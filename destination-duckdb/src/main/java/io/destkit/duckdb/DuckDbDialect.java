package io.destkit.duckdb;

import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.typing.AirbyteType;
import io.destkit.sql.SqlDialect;
import io.destkit.sql.TypeNames;

/** DuckDB's types and statements. */
public final class DuckDbDialect implements SqlDialect {
  /** Numbers are stored exactly up to 29 integer digits and 9 decimals. */
  public static final int NUMBER_PRECISION = 38;
  public static final int NUMBER_SCALE = 9;

  private static final TypeNames TYPES =
      TypeNames.builder()
          .string("VARCHAR")
          .bool("BOOLEAN")
          .integer("BIGINT")
          .number("DECIMAL(" + NUMBER_PRECISION + ", " + NUMBER_SCALE + ")")
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
