/** The body of POST /sessions/{id}/messages: its schema and its conversion to a driver message. */
import type { MediaType, OutboundMessage } from '../drivers/driver.js';
import { badRequest } from '../errors.js';
import { fetchMedia, type FetchLimits } from '../media/fetch-url.js';

export const MESSAGE_TYPES = ['text', 'image', 'video', 'audio', 'document', 'location', 'contact'] as const;

export const messageBodySchema = {
  type: 'object',
  required: ['to', 'type'],
  properties: {
    to: { type: 'string', minLength: 1, maxLength: 128 },
    type: { type: 'string', enum: MESSAGE_TYPES },
    text: { type: 'string', maxLength: 65536 },
    mediaUrl: { type: 'string', maxLength: 4096 },
    mediaBase64: { type: 'string' },
    mimetype: { type: 'string', maxLength: 255, pattern: '^[\\w.+-]+/[\\w.+-]+(;.*)?$' },
    caption: { type: 'string', maxLength: 4096 },
    fileName: { type: 'string', maxLength: 255 },
    ptt: { type: 'boolean' },
    latitude: { type: 'number', minimum: -90, maximum: 90 },
    longitude: { type: 'number', minimum: -180, maximum: 180 },
    name: { type: 'string', maxLength: 1024 },
    address: { type: 'string', maxLength: 1024 },
    contactName: { type: 'string', maxLength: 1024 },
    contactNumber: { type: 'string', maxLength: 64 },
  },
} as const;

export interface MessageBody {
  to: string;
  type: (typeof MESSAGE_TYPES)[number];
  text?: string;
  mediaUrl?: string;
  mediaBase64?: string;
  mimetype?: string;
  caption?: string;
  fileName?: string;
  /** audio only: send as a voice note */
  ptt?: boolean;
  latitude?: number;
  longitude?: number;
  name?: string;
  address?: string;
  contactName?: string;
  contactNumber?: string;
}

const DEFAULT_MIMETYPE: Record<MediaType, string> = {
  image: 'image/jpeg', video: 'video/mp4', audio: 'audio/mpeg', document: 'application/octet-stream',
};

function require<T>(value: T | undefined | '', field: string, type: string): T {
  if (value === undefined || value === '') throw badRequest(`${field} is required for type ${type}`);
  return value;
}

/** Copies of a 20 MB string are avoided where they are not needed (no data: prefix, no line breaks). */
function decodeBase64(value: string, maxBytes: number): Buffer {
  const unprefixed = value.startsWith('data:') ? value.replace(/^data:[^;]+;base64,/, '') : value;
  const clean = /\s/.test(unprefixed) ? unprefixed.replace(/\s/g, '') : unprefixed;
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean) || clean.length === 0) throw badRequest('mediaBase64 is not valid base64');
  const data = Buffer.from(clean, 'base64');
  if (data.length > maxBytes) throw badRequest('mediaBase64 exceeds the size limit');
  return data;
}

export async function toOutbound(body: MessageBody, limits: FetchLimits): Promise<OutboundMessage> {
  const { type } = body;
  switch (type) {
    case 'text':
      return { type, text: require(body.text, 'text', type) };
    case 'location':
      return {
        type, latitude: require(body.latitude, 'latitude', type), longitude: require(body.longitude, 'longitude', type),
        ...(body.name ? { name: body.name } : {}), ...(body.address ? { address: body.address } : {}),
      };
    case 'contact':
      return { type, contactName: require(body.contactName, 'contactName', type), contactNumber: require(body.contactNumber, 'contactNumber', type) };
    default: {
      if (!body.mediaUrl && !body.mediaBase64) throw badRequest(`mediaUrl or mediaBase64 is required for type ${type}`);
      const fetched = body.mediaBase64 ? { data: decodeBase64(body.mediaBase64, limits.maxBytes) } : await fetchMedia(body.mediaUrl as string, limits);
      const dataUrlType = /^data:([\w.+-]+\/[\w.+-]+);base64,/.exec(body.mediaBase64 ?? '')?.[1];
      const mimetype = body.mimetype ?? dataUrlType ?? ('mimetype' in fetched ? fetched.mimetype : undefined) ?? DEFAULT_MIMETYPE[type];
      return {
        type, media: { data: fetched.data, mimetype },
        ...(body.caption ? { caption: body.caption } : {}), ...(body.fileName ? { fileName: body.fileName } : {}),
        ...(type === 'audio' && body.ptt ? { ptt: true } : {}),
      };
    }
  }
}
