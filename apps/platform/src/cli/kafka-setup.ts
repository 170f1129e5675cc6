// npm run kafka:setup [-- --print] [-- --quiet]
// Creates the platform's Kafka topics (each with its dead-letter topic) and gives each department service's
// Kafka user exactly what it needs: write the topics of its own events, read what it consumes, write those
// topics' dead-letter topics, use consumer groups named after itself (libs/contracts/src/kafka-access.ts);
// the user `platform` of the single-process apps/platform gets the union of theirs.
// ACLs of those users beyond that are removed. Safe to repeat (after an upgrade that changes what a service
// consumes, run it again before starting the services). Runs as the cluster's administrator: KAFKA_BROKERS,
// KAFKA_SECURITY, KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD_FILE of an administrator, KAFKA_NAME_PREFIX,
// KAFKA_TOPIC_PARTITIONS, KAFKA_REPLICATION_FACTOR. `--print` lists the topics and ACLs without connecting
// (to apply them with the cluster's own tools). README, "Security", "Kafka".
import { ConfigurationError, loadConfig } from '@platform/config';
import { kafkaGrants, kafkaPrincipals, platformContracts, platformTopics } from '@platform/contracts';
import { aclEntriesOf, applyKafkaSetup, describeAcl, kafkaConnectionOf } from '@platform/messaging';

const USAGE = '用法：npm run kafka:setup [-- --print] [-- --quiet]';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const unknown = argv.filter((a) => a !== '--print' && a !== '--quiet');
  if (unknown.length > 0) {
    console.error(`无法识别的参数“${unknown[0]}”\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(process.env);
  const prefix = config.KAFKA_NAME_PREFIX ?? '';
  const contracts = platformContracts();
  const topics = platformTopics(contracts).map((t) => `${prefix}${t}`);
  const grants = kafkaGrants(contracts, prefix);
  if (argv.includes('--print')) {
    console.log(
      `# 主题（${topics.length} 个；分区 ${config.KAFKA_TOPIC_PARTITIONS}，副本 ${config.KAFKA_REPLICATION_FACTOR}）`,
    );
    for (const t of topics) console.log(t);
    console.log(`\n# 授权（ACL，${aclEntriesOf(grants).length} 条）`);
    for (const a of aclEntriesOf(grants)) console.log(describeAcl(a));
    return 0;
  }
  if (!config.KAFKA_BROKERS) {
    console.error('KAFKA_BROKERS：未设置（要连接的 Kafka，host:port[,host:port…]）');
    return 2;
  }
  const result = await applyKafkaSetup({
    brokers: config.KAFKA_BROKERS.split(',').map((b) => b.trim()),
    connection: kafkaConnectionOf(config),
    topics,
    partitions: config.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    grants,
    principals: kafkaPrincipals(prefix),
  });
  if (!argv.includes('--quiet') || result.aclsRemoved.length > 0) {
    console.log(
      `Kafka：主题新建 ${result.topicsCreated.length} 个、已有 ${result.topicsExisting} 个；` +
        `授权新增 ${result.aclsAdded} 条、撤销 ${result.aclsRemoved.length} 条。`,
    );
    for (const r of result.aclsRemoved) console.log(`  撤销：${r}`);
  }
  return 0;
}

try {
  process.exitCode = await main();
} catch (e) {
  if (e instanceof ConfigurationError) {
    console.error(e.message);
    process.exitCode = 2;
  } else {
    console.error(`Kafka 设置失败：${(e as Error).message}`);
    process.exitCode = 1;
  }
}
