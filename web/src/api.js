// The one way the UI talks to duban's JSON API: same origin, the session cookie, the CSRF
// header on writes, and errors turned into ApiError carrying the server's code, Chinese
// message and the field it is about (forms show it next to that field).
import { session, onSessionLost, onPasswordChangeRequired } from './session.js'

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `请求失败（${status}）`)
    this.status = status
    this.code = error?.code || 'network'
    this.field = error?.field || null
    this.details = error?.details || null
  }
}

// Query parameters without the empty ones, so a filter form maps straight onto a URL.
export function queryString(query) {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null || v === '' || v === false) continue
    q.set(k, v === true ? '1' : String(v))
  }
  const s = q.toString()
  return s ? `?${s}` : ''
}

function headersFor(method, type) {
  const h = { Accept: 'application/json' }
  if (type) h['Content-Type'] = type
  if (method !== 'GET' && session.csrf) h['X-CSRF-Token'] = session.csrf
  return h
}

// A lost session or a required password change moves the user to another page; the page that
// asked is going away, so its own error handling must not run (it would show a second message
// over the login page): such requests never settle.
const NEVER = new Promise(() => {})

async function handleFailure(status, body) {
  const err = new ApiError(status, body?.error)
  if (status === 401 && err.code !== 'bad_credentials' && onSessionLost(err)) {
    return NEVER
  }
  if (status === 403 && err.code === 'password_change_required') {
    onPasswordChangeRequired()
    return NEVER
  }
  throw err
}

export async function request(method, path, { query, body, raw, type } = {}) {
  let resp
  try {
    resp = await fetch(path + queryString(query), {
      method,
      credentials: 'same-origin',
      headers: headersFor(method, raw ? type || 'application/octet-stream' : body !== undefined ? 'application/json' : null),
      body: raw ?? (body !== undefined ? JSON.stringify(body) : undefined)
    })
  } catch (e) {
    throw new ApiError(0, { code: 'network', message: '无法连接服务器，请检查网络后重试' })
  }
  const text = await resp.text()
  let data = null
  try { data = text ? JSON.parse(text) : null } catch { data = null }
  if (!resp.ok) return handleFailure(resp.status, data)
  return data
}

export const api = {
  get: (path, query) => request('GET', path, { query }),
  post: (path, body, query) => request('POST', path, { body: body ?? {}, query }),
  put: (path, body) => request('PUT', path, { body }),
  patch: (path, body) => request('PATCH', path, { body }),
  del: (path) => request('DELETE', path, {}),
  // A file as the raw request body, with upload progress (0–100) reported as it goes.
  upload(path, file, query, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest()
      xhr.open('POST', path + queryString(query))
      for (const [k, v] of Object.entries(headersFor('POST', file.type || 'application/octet-stream')))
        xhr.setRequestHeader(k, v)
      xhr.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(Math.round((e.loaded / e.total) * 100)) }
      xhr.onerror = () => reject(new ApiError(0, { code: 'network', message: '上传失败：无法连接服务器' }))
      xhr.onload = () => {
        let data = null
        try { data = xhr.responseText ? JSON.parse(xhr.responseText) : null } catch { data = null }
        if (xhr.status >= 200 && xhr.status < 300) resolve(data)
        else handleFailure(xhr.status, data).catch(reject)
      }
      xhr.send(file)
    })
  }
}

// The download URL of a list endpoint with the same filters (the browser sends the cookie).
export function downloadUrl(path, query) {
  return path + queryString(query)
}
