package io.destkit.sql;

import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.ArrayType;
import io.destkit.core.typing.ArrayTypeWithoutSchema;
import io.destkit.core.typing.BooleanType;
import io.destkit.core.typing.DateType;
import io.destkit.core.typing.IntegerType;
import io.destkit.core.typing.NumberType;
import io.destkit.core.typing.ObjectType;
import io.destkit.core.typing.ObjectTypeWithEmptySchema;
import io.destkit.core.typing.ObjectTypeWithoutSchema;
import io.destkit.core.typing.StringType;
import io.destkit.core.typing.TimeWithTimezoneType;
import io.destkit.core.typing.TimeWithoutTimezoneType;
import io.destkit.core.typing.TimestampWithTimezoneType;
import io.destkit.core.typing.TimestampWithoutTimezoneType;
import io.destkit.core.typing.UnionType;
import io.destkit.core.typing.UnknownType;
import java.util.HashMap;
import java.util.Map;

/**
 * A type mapping as data: each Airbyte type to its database type name. Objects, arrays, unions and
 * unknown types share one JSON type. Building fails when a type is left unmapped.
 */
public final class TypeNames {
  private final Map<Class<? extends AirbyteType>, String> names;

  private TypeNames(Map<Class<? extends AirbyteType>, String> names) {
    this.names = Map.copyOf(names);
  }

  public static Builder builder() {
    return new Builder();
  }

  public String of(AirbyteType type) {
    String name = names.get(type.getClass());
    if (name == null) {
      throw new IllegalArgumentException("no database type for Airbyte type " + type);
    }
    return name;
  }

  /** Collects the mapping; {@link #build()} checks every Airbyte type is mapped. */
  public static final class Builder {
    private final Map<Class<? extends AirbyteType>, String> names = new HashMap<>();

    public Builder string(String name) { return put(StringType.class, name); }
    public Builder bool(String name) { return put(BooleanType.class, name); }
    public Builder integer(String name) { return put(IntegerType.class, name); }
    public Builder number(String name) { return put(NumberType.class, name); }
    public Builder date(String name) { return put(DateType.class, name); }
    public Builder timestampWithTimezone(String name) { return put(TimestampWithTimezoneType.class, name); }
    public Builder timestampWithoutTimezone(String name) { return put(TimestampWithoutTimezoneType.class, name); }
    public Builder timeWithTimezone(String name) { return put(TimeWithTimezoneType.class, name); }
    public Builder timeWithoutTimezone(String name) { return put(TimeWithoutTimezoneType.class, name); }

    /** Objects (with or without schema), arrays, unions and unknown types. */
    public Builder json(String name) {
      put(ObjectType.class, name);
      put(ObjectTypeWithEmptySchema.class, name);
      put(ObjectTypeWithoutSchema.class, name);
      put(ArrayType.class, name);
      put(ArrayTypeWithoutSchema.class, name);
      put(UnionType.class, name);
      return put(UnknownType.class, name);
    }

    private Builder put(Class<? extends AirbyteType> type, String name) {
      names.put(type, name);
      return this;
    }

    public TypeNames build() {
      for (Class<?> type : AirbyteType.class.getPermittedSubclasses()) {
        if (!names.containsKey(type)) {
          throw new IllegalStateException("type mapping misses " + type.getSimpleName());
        }
      }
      return new TypeNames(names);
    }
  }
}
