// npm run content: check every content file and emit src/generated/catalog.json.
import { buildCatalog, GENERATED } from '../src/build/content';

try {
  const c = buildCatalog(process.env.KAOPING_CONTENT_DIR);
  const n = Object.values(c).reduce((s, l) => s + l.length, 0);
  console.log(
    `内容校验通过: ${n} 个条目 (${c.units.length} 个单位, ${c.instruments.length} 个测评), 已写出 ${GENERATED}`,
  );
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
