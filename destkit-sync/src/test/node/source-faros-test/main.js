#!/usr/bin/env node
'use strict';

// A deterministic Airbyte source built on faros-airbyte-cdk, used by the
// `destkit sync` end-to-end tests. Every record is a pure function of its
// index and the config, so tests can assert exact table contents.

const {
  AirbyteConnectionStatus,
  AirbyteConnectionStatusMessage,
  AirbyteSourceBase,
  AirbyteSourceLogger,
  AirbyteSourceRunner,
  AirbyteSpec,
  AirbyteStreamBase,
  SyncMode,
} = require('faros-airbyte-cdk');

/** updated_at of build i is BASE_MILLIS + i * 1000 (build 1: 2023-11-14T22:13:21.000Z). */
const BASE_MILLIS = 1700000000000;
/** The CDK emits a STATE after every this many builds records. */
const BUILDS_CHECKPOINT_INTERVAL = 10;
const JOB_COUNT = 5;
const DEFAULT_COUNT = 100;

const SPEC = {
  documentationUrl: 'https://github.com/faros-ai/airbyte-connectors',
  connectionSpecification: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Faros test source',
    type: 'object',
    required: ['user'],
    additionalProperties: true,
    properties: {
      user: {
        type: 'string',
        title: 'User',
        description: 'Copied into the user field of every builds record.',
      },
      count: {
        type: 'integer',
        title: 'Count',
        description: 'Number of builds records (b1 .. b<count>).',
        default: DEFAULT_COUNT,
        minimum: 0,
      },
      fail_after: {
        type: 'integer',
        title: 'Fail after',
        description:
          'When set, the builds stream throws an Error after emitting this many records.',
        minimum: 0,
      },
    },
  },
};

function buildCount(config) {
  return config.count ?? DEFAULT_COUNT;
}

function buildRecord(i, user) {
  const updatedAt = BASE_MILLIS + i * 1000;
  return {
    uid: `b${i}`,
    number: i,
    user,
    updated_at: updatedAt,
    started_at: new Date(updatedAt - 500).toISOString(),
    passed: i % 3 !== 0,
  };
}

function jobRecord(k) {
  return {
    id: k,
    name: `job-${k}`,
    build_uid: `b${k}`,
    duration_seconds: k * 1.5,
  };
}

class Builds extends AirbyteStreamBase {
  constructor(config, logger) {
    super(logger);
    this.config = config;
  }

  getJsonSchema() {
    return {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        uid: { type: 'string' },
        number: { type: 'integer' },
        user: { type: 'string' },
        updated_at: { type: 'integer' },
        started_at: { type: 'string', format: 'date-time' },
        passed: { type: 'boolean' },
      },
    };
  }

  get primaryKey() {
    return 'uid';
  }

  get cursorField() {
    return 'updated_at';
  }

  get stateCheckpointInterval() {
    return BUILDS_CHECKPOINT_INTERVAL;
  }

  async *readRecords(syncMode, cursorField, streamSlice, streamState) {
    const cutoff =
      syncMode === SyncMode.INCREMENTAL ? streamState?.cutoff ?? 0 : 0;
    const failAfter = this.config.fail_after;
    let emitted = 0;
    for (let i = 1; i <= buildCount(this.config); i++) {
      const record = buildRecord(i, this.config.user);
      if (record.updated_at <= cutoff) {
        continue;
      }
      if (failAfter !== undefined && emitted >= failAfter) {
        throw new Error(
          `fail_after=${failAfter}: builds stream failed after ${emitted} records`
        );
      }
      emitted++;
      yield record;
    }
  }

  getUpdatedState(currentStreamState, latestRecord) {
    const previous = currentStreamState?.cutoff ?? 0;
    return { cutoff: Math.max(previous, latestRecord.updated_at) };
  }
}

class Jobs extends AirbyteStreamBase {
  getJsonSchema() {
    return {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        id: { type: 'integer' },
        name: { type: 'string' },
        build_uid: { type: 'string' },
        duration_seconds: { type: 'number' },
      },
    };
  }

  get primaryKey() {
    return 'id';
  }

  async *readRecords() {
    for (let k = 1; k <= JOB_COUNT; k++) {
      yield jobRecord(k);
    }
  }
}

function configError(config) {
  if (typeof config.user !== 'string' || config.user.length === 0) {
    return 'config.user is required and must be a non-empty string';
  }
  const count = buildCount(config);
  if (!Number.isInteger(count) || count < 0) {
    return `config.count must be a non-negative integer, got ${JSON.stringify(count)}`;
  }
  const failAfter = config.fail_after;
  if (failAfter !== undefined && (!Number.isInteger(failAfter) || failAfter < 0)) {
    return `config.fail_after must be a non-negative integer, got ${JSON.stringify(failAfter)}`;
  }
  return undefined;
}

class FarosTestSource extends AirbyteSourceBase {
  get type() {
    return 'faros-test';
  }

  async spec() {
    return new AirbyteSpec(SPEC);
  }

  async checkConnection(config) {
    const error = configError(config);
    return error === undefined ? [true, undefined] : [false, new Error(error)];
  }

  streams(config) {
    return [new Builds(config, this.logger), new Jobs(this.logger)];
  }
}

function mainCommand() {
  const logger = new AirbyteSourceLogger();
  const source = new FarosTestSource(logger);
  return new AirbyteSourceRunner(logger, source).mainCommand();
}

module.exports = { mainCommand, FarosTestSource, buildRecord, jobRecord };

if (require.main === module) {
  mainCommand().parseAsync(process.argv).catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
