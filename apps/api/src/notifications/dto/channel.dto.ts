import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { CHANNEL_KINDS, type ChannelKind } from '../../../../../libs/persistence';

/**
 * Only the shape here; whether the server may reach it (https, the robots' official hosts, no address
 * inside the network) is decided by the channels service with the WHATWG parser the sender uses too,
 * so no odd spelling (0x7f000001, 2130706433, 0177.0.0.1) can pass one parser and reach another.
 */
const HTTP_URL = /^https?:\/\/\S+$/i;
const HTTP_URL_MESSAGE = { message: 'url must be an http(s) URL' };

/**
 * The document offers https only: plain http is taken solely for the local receivers OUTBOUND_ALLOW
 * names (tests, demos), which production refuses.
 */
const HttpsInDocument = () => JSONSchema((schema) => ({ ...schema, pattern: '^https://\\S+$' }));

/** A new outbound channel of a township (钉钉群机器人、企业微信群机器人、通用 Webhook). */
export class CreateChannelDto {
  @ApiProperty({ description: '渠道类型：dingtalk 钉钉群机器人；wecom 企业微信群机器人；webhook 通用 Webhook / kind', enum: CHANNEL_KINDS })
  @IsIn(CHANNEL_KINDS)
  kind!: ChannelKind;

  @ApiProperty({ description: '渠道名称，如“禾丰镇整顿工作群” / name', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({
    description:
      '机器人 Webhook 地址（含 access_token / key）或 Webhook 接收地址，须为 https；钉钉仅限 https://oapi.dingtalk.com/，企业微信仅限 https://qyapi.weixin.qq.com/；不能指向内网或本机地址 / the webhook URL: https, robots on their official hosts, no internal addresses',
    maxLength: 1000,
    format: 'uri',
  })
  @Matches(HTTP_URL, HTTP_URL_MESSAGE)
  @MaxLength(1000)
  @HttpsInDocument()
  url!: string;

  @ApiPropertyOptional({ description: '钉钉加签密钥（SEC…）或 Webhook 的 HMAC 密钥；只写，从不返回 / signing secret, write-only', maxLength: 300 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  secret?: string;

  @ApiPropertyOptional({ description: '是否启用 / enabled', default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ description: '每分钟最多发送消息数（默认：钉钉、企业微信 20，Webhook 60） / messages per minute', minimum: 1, maximum: 600 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(600)
  maxPerMinute?: number;

  @ApiPropertyOptional({ description: '积压较多时每条汇总消息最多包含的通知数（默认 10） / notices per digest message at most', minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  batchSize?: number;
}

/** Changes to a channel; its kind stays. `secret: null` removes the secret. */
export class UpdateChannelDto {
  @ApiPropertyOptional({ description: '渠道名称 / name', maxLength: 100 })
  @ValidateIf((_o, v) => v !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ description: 'Webhook 地址 / the webhook URL', maxLength: 1000 })
  @ValidateIf((_o, v) => v !== undefined)
  @Matches(HTTP_URL, HTTP_URL_MESSAGE)
  @MaxLength(1000)
  @HttpsInDocument()
  url?: string;

  @ApiPropertyOptional({ description: '签名密钥；null 表示清除 / signing secret; null removes it', maxLength: 300, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  secret?: string | null;

  @ApiPropertyOptional({ description: '是否启用 / enabled' })
  @ValidateIf((_o, v) => v !== undefined)
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ description: '每分钟最多发送消息数 / messages per minute', minimum: 1, maximum: 600 })
  @ValidateIf((_o, v) => v !== undefined)
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(600)
  maxPerMinute?: number;

  @ApiPropertyOptional({ description: '每条汇总消息最多通知数 / notices per digest message at most', minimum: 1, maximum: 100 })
  @ValidateIf((_o, v) => v !== undefined)
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  batchSize?: number;
}
