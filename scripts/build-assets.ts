/**
 * Builds public/: the stylesheet compiled from Sass with the partnership's brand (and its mirror
 * image for right-to-left languages), govuk-frontend's
 * script, and a gzip and brotli copy of each so they are served compressed without work per request.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import rtlcss from 'rtlcss'
import * as sass from 'sass'

const root = path.resolve(import.meta.dirname, '..')
const out = path.join(root, 'public')
const govuk = path.join(root, 'node_modules/govuk-frontend/dist/govuk')

fs.mkdirSync(out, { recursive: true })
const css = sass.compile(path.join(root, 'src/platform/assets/hub.scss'), {
  style: 'compressed',
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true,
  silenceDeprecations: ['import'],
}).css
const files: Record<string, string | Buffer> = {
  'hub.css': css,
  // govuk-frontend has no right-to-left styles: a mirrored copy for Arabic, Farsi, Urdu...
  'hub.rtl.css': rtlcss.process(css),
  'hub.js': fs.readFileSync(path.join(root, 'src/platform/assets/hub.js')),
  'govuk-frontend.min.js': fs.readFileSync(path.join(govuk, 'govuk-frontend.min.js')),
}
for (const [name, content] of Object.entries(files)) {
  const file = path.join(out, name)
  fs.writeFileSync(file, content)
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content, { level: 9 }))
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(content))
}
console.log(`assets built in ${path.relative(root, out)}/`)
