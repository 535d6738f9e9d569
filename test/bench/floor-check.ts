/**
 * The floor for the check benchmark: plain node:http + pg, one indexed select per request, no
 * framework, no auth, no logging. Whatever our app does on top costs relative to this.
 */
import { createHmac } from 'node:crypto'
import http from 'node:http'

import pg from 'pg'

const port = Number(process.env.PORT)
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 })
const macKey = Buffer.from(process.env.FLOOR_MAC_KEY!, 'base64')

http
  .createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const { idNumber } = JSON.parse(body) as { idNumber: string }
      const hash = createHmac('sha256', macKey).update(idNumber).digest()
      pool
        .query(
          'select t.ce_year, t.category, t.counted_hours from people p join hour_totals t on t.person_id = p.id where p.id_number_hash = $1',
          [hash],
        )
        .then((r) => {
          res.writeHead(200, { 'Content-Type': 'application/json' })
          res.end(JSON.stringify(r.rows))
        })
        .catch((e: Error) => {
          res.writeHead(500)
          res.end(e.message)
        })
    })
  })
  .listen(port, () => process.send?.('ready'))
