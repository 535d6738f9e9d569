/**
 * The floor for the heartbeat benchmark: plain node:http + pg, one indexed update per request
 * (the learner's progress row, by primary key), no framework, no session, no rules, no logging.
 */
import http from 'node:http'

import pg from 'pg'

const port = Number(process.env.PORT)
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 })

http
  .createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const { enrollmentId, lessonId } = JSON.parse(body) as { enrollmentId: number; lessonId: string }
      pool
        .query(
          'update lesson_progress set verified_ms = verified_ms + 1000, last_seq = last_seq + 1, last_accepted_at = now() where enrollment_id = $1 and lesson_id = $2',
          [enrollmentId, lessonId],
        )
        .then((r) => {
          res.writeHead(200, { 'Content-Type': 'application/json' })
          res.end(JSON.stringify({ updated: r.rowCount }))
        })
        .catch((e: Error) => {
          res.writeHead(500)
          res.end(e.message)
        })
    })
  })
  .listen(port)
