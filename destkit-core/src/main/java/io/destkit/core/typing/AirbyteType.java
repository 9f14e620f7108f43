package io.destkit.core.typing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The type of a value in an Airbyte record, as parsed from the stream's JSON schema by {@link
 * AirbyteTypeParser}. Mirrors the Airbyte Dataflow CDK's type model. Stateless types are records
 * without components, so any two instances are equal; the constants below are the usual spelling.
 */
public sealed interface AirbyteType
    permits StringType,
        BooleanType,
        IntegerType,
        NumberType,
        DateType,
        TimestampWithTimezoneType,
        TimestampWithoutTimezoneType,
        TimeWithTimezoneType,
        TimeWithoutTimezoneType,
        ObjectType,
        ObjectTypeWithEmptySchema,
        ObjectTypeWithoutSchema,
        ArrayType,
        ArrayTypeWithoutSchema,
        UnionType,
        UnknownType {

  StringType STRING = new StringType();
  BooleanType BOOLEAN = new BooleanType();
  IntegerType INTEGER = new IntegerType();
  NumberType NUMBER = new NumberType();
  DateType DATE = new DateType();
  TimestampWithTimezoneType TIMESTAMP_WITH_TIMEZONE = new TimestampWithTimezoneType();
  TimestampWithoutTimezoneType TIMESTAMP_WITHOUT_TIMEZONE = new TimestampWithoutTimezoneType();
  TimeWithTimezoneType TIME_WITH_TIMEZONE = new TimeWithTimezoneType();
  TimeWithoutTimezoneType TIME_WITHOUT_TIMEZONE = new TimeWithoutTimezoneType();
  ObjectTypeWithEmptySchema OBJECT_WITH_EMPTY_SCHEMA = new ObjectTypeWithEmptySchema();
  ObjectTypeWithoutSchema OBJECT_WITHOUT_SCHEMA = new ObjectTypeWithoutSchema();
  ArrayTypeWithoutSchema ARRAY_WITHOUT_SCHEMA = new ArrayTypeWithoutSchema();
  /** Any value, from the schema {@code {}}; stored as JSON. Its schema node must not be mutated. */
  UnknownType UNKNOWN = new UnknownType(JsonNodeFactory.instance.objectNode());
}
