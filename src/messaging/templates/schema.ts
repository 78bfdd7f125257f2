import Type from 'typebox';

/**
 * A template as a store defines it in Storewire: for WhatsApp, the shape of a template the
 * store had approved in WhatsApp Manager (Meta's own placeholders, {{1}} or {{first_name}}),
 * plus, for each placeholder and media slot, a Liquid expression over the merge data that
 * gives its value at send time. For Messenger, which kind of structured message to build from
 * the parameters a send request carries (seed 002).
 *
 * Meta's limits that can be said as a schema are said here (lengths, counts); the rules that
 * tie parts together (every placeholder has a parameter...) are in validate.ts.
 */

const strict = { additionalProperties: false } as const;

/** A Liquid template over the merge data, e.g. "{{ contact.first_name }}". */
const Liquid = (description: string) => Type.String({ minLength: 1, maxLength: 2000, description });

export const TemplateCategory = Type.Union([
  Type.Literal('marketing'),
  Type.Literal('utility'),
  Type.Literal('authentication'),
]);

const text = (maxLength: number, description: string) =>
  Type.Object({ text: Type.String({ minLength: 1, maxLength, description }) }, strict);

const mediaLink = Type.Optional(Liquid('Liquid giving the https URL of the media; or give it as parameters.header.'));
const mediaId = (key: string) =>
  Type.Optional(
    Liquid(
      `Liquid giving the id WhatsApp gave the media when it was uploaded (instead of a link); or give it as ${key}.`,
    ),
  );
const fileName = Type.Optional(Liquid('Liquid giving the file name the shopper sees for the document.'));

export const TextHeader = Type.Object(
  {
    format: Type.Literal('text'),
    text: Type.String({
      minLength: 1,
      maxLength: 60,
      description: 'At most one placeholder; its parameter key is "header".',
    }),
  },
  strict,
);
export const ImageHeader = Type.Object(
  { format: Type.Literal('image'), link: mediaLink, id: mediaId('parameters.header') },
  strict,
);
export const VideoHeader = Type.Object(
  { format: Type.Literal('video'), link: mediaLink, id: mediaId('parameters.header') },
  strict,
);
export const DocumentHeader = Type.Object(
  { format: Type.Literal('document'), link: mediaLink, id: mediaId('parameters.header'), filename: fileName },
  strict,
);
export const Header = Type.Union([TextHeader, ImageHeader, VideoHeader, DocumentHeader]);

const buttonText = Type.String({ minLength: 1, maxLength: 25 });

export const QuickReplyButton = Type.Object(
  {
    type: Type.Literal('quick_reply'),
    text: buttonText,
    payload: Type.Optional(
      Liquid(
        'Liquid giving the payload returned when the shopper taps the button; or give it as parameters["button.<i>"].',
      ),
    ),
  },
  strict,
);
export const UrlButton = Type.Object(
  {
    type: Type.Literal('url'),
    text: buttonText,
    url: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'An http(s) URL, optionally ending in one placeholder (its parameter key is "button.<i>").',
    }),
  },
  strict,
);
export const CopyCodeButton = Type.Object(
  {
    type: Type.Literal('copy_code'),
    code: Type.Optional(
      Liquid('Liquid giving the coupon code (at most 15 characters); or give it as parameters["button.<i>"].'),
    ),
  },
  strict,
);
export const CatalogButton = Type.Object({ type: Type.Literal('catalog'), text: buttonText }, strict);
export const PhoneNumberButton = Type.Object(
  {
    type: Type.Literal('phone_number'),
    text: buttonText,
    phone: Type.String({ minLength: 4, maxLength: 20, pattern: '^\\+?[0-9]+$' }),
  },
  strict,
);
export const Button = Type.Union([QuickReplyButton, UrlButton, CopyCodeButton, CatalogButton, PhoneNumberButton]);

export const CardImageHeader = Type.Object(
  {
    format: Type.Literal('image'),
    link: Type.Optional(
      Liquid('Liquid giving the https URL of the image; or give it as parameters["card.<i>.header"].'),
    ),
    id: mediaId('parameters["card.<i>.header"]'),
  },
  strict,
);
export const CardVideoHeader = Type.Object(
  {
    format: Type.Literal('video'),
    link: Type.Optional(
      Liquid('Liquid giving the https URL of the video; or give it as parameters["card.<i>.header"].'),
    ),
    id: mediaId('parameters["card.<i>.header"]'),
  },
  strict,
);
export const CardButton = Type.Union([QuickReplyButton, UrlButton, PhoneNumberButton]);

export const CarouselCard = Type.Object(
  {
    header: Type.Union([CardImageHeader, CardVideoHeader]),
    body: text(160, 'Placeholders have parameter keys "card.<i>.<placeholder>".'),
    buttons: Type.Optional(Type.Array(CardButton, { maxItems: 2 })),
  },
  strict,
);

export const WhatsAppTemplate = Type.Object(
  {
    channel: Type.Literal('whatsapp'),
    language: Type.String({
      pattern: '^[a-z]{2,3}(_[A-Z]{2,4})?$',
      description: 'The language the template was approved in, e.g. en_US, en, pt_BR.',
    }),
    category: TemplateCategory,
    parameterFormat: Type.Optional(
      Type.Union([Type.Literal('named'), Type.Literal('positional')], {
        description: 'Taken from the placeholders when absent.',
      }),
    ),
    header: Type.Optional(Header),
    body: text(1024, 'Placeholders {{1}}, {{2}}... or {{first_name}}...; each has a parameter of its name or number.'),
    footer: Type.Optional(text(60, 'Plain text: footers take no placeholders.')),
    buttons: Type.Optional(Type.Array(Button, { maxItems: 10 })),
    carousel: Type.Optional(Type.Object({ cards: Type.Array(CarouselCard, { minItems: 2, maxItems: 10 }) }, strict)),
    parameters: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Liquid('Liquid over the merge data.'), {
        description:
          'Placeholder or slot -> Liquid. Keys: a body placeholder\'s name or number, "header", "button.<i>", "card.<i>.<placeholder>", "card.<i>.header", "card.<i>.button.<j>".',
      }),
    ),
  },
  strict,
);

export const MessengerTag = Type.Union(
  [Type.Literal('POST_PURCHASE_UPDATE'), Type.Literal('CONFIRMED_EVENT_UPDATE'), Type.Literal('ACCOUNT_UPDATE')],
  {
    description: 'The message tag that lets it go outside the 24-hour window; POST_PURCHASE_UPDATE by default.',
  },
);

export const MessengerTemplate = Type.Object(
  {
    channel: Type.Literal('messenger'),
    type: Type.Union([Type.Literal('receipt'), Type.Literal('shipping_update')], {
      description: "What to build from the send request's params (seed 002).",
    }),
    category: Type.Literal('utility'),
    tag: Type.Optional(MessengerTag),
    buttonTitle: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 20,
        description: 'shipping_update: the tracking button\'s title ("Track package" by default).',
      }),
    ),
  },
  strict,
);

export const TemplateDefinition = Type.Union([WhatsAppTemplate, MessengerTemplate]);

export type WhatsAppTemplateDefinition = Type.Static<typeof WhatsAppTemplate>;
export type MessengerTemplateDefinition = Type.Static<typeof MessengerTemplate>;
export type TemplateDefinition = Type.Static<typeof TemplateDefinition>;
export type TemplateHeader = Type.Static<typeof Header>;
export type TemplateButton = Type.Static<typeof Button>;
export type TemplateCarouselCard = Type.Static<typeof CarouselCard>;
export type MessengerTagName = Type.Static<typeof MessengerTag>;
