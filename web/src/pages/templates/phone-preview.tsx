import type { Preview, PreviewButton, PreviewHeader } from '../../api/templates.js';
import './phone-preview.css';

const BUTTON_ICON: Record<PreviewButton['type'], string> = {
  url: '↗',
  phone_number: '☎',
  quick_reply: '↩',
  copy_code: '⧉',
  catalog: '☰',
};

function buttonLabel(button: PreviewButton): string {
  if (button.type === 'copy_code') return button.text || 'Copy code';
  return button.text;
}

function buttonTitle(button: PreviewButton): string | undefined {
  if (button.url) return `Opens ${button.url}`;
  if (button.phone) return `Calls ${button.phone}`;
  if (button.code) return `Copies ${button.code}`;
  if (button.payload) return `Answers ${button.payload}`;
  return undefined;
}

function Header({ header }: { header: PreviewHeader }) {
  if (header.format === 'text') return <p class="chat-header-text">{header.text}</p>;
  if (header.format === 'image' && header.link)
    return <img class="chat-media" src={header.link} alt="The message’s header" />;
  return (
    <p class="chat-media chat-media-placeholder">
      {header.format === 'document' ? `📄 ${header.filename ?? 'Document'}` : `▶ ${header.format}`}
      {header.link ? <span class="chat-media-link">{header.link}</span> : null}
    </p>
  );
}

function Buttons({ buttons }: { buttons: PreviewButton[] }) {
  if (buttons.length === 0) return null;
  return (
    <ul class="chat-buttons" aria-label="Buttons">
      {buttons.map((button, i) => (
        <li key={i} title={buttonTitle(button)}>
          <span aria-hidden="true">{BUTTON_ICON[button.type]} </span>
          {buttonLabel(button)}
          {button.url ? <span class="sr-only"> (opens {button.url})</span> : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * The message drawn as the shopper's phone shows it: a chat bubble with its header, text and
 * footer, the buttons under it, and a carousel's cards side by side.
 */
export function PhonePreview({ preview, from, channel }: { preview: Preview; from: string; channel: string }) {
  return (
    <figure class="phone" aria-label="Phone preview">
      <figcaption class="phone-bar">
        <span class="phone-avatar" aria-hidden="true">
          {from.slice(0, 1).toUpperCase()}
        </span>
        <span>
          <strong>{from}</strong>
          <span class="phone-channel">{channel === 'messenger' ? 'Messenger' : 'WhatsApp'}</span>
        </span>
      </figcaption>
      <div class={channel === 'messenger' ? 'phone-chat phone-chat-messenger' : 'phone-chat'}>
        <div class="chat-message">
          <div class="chat-bubble">
            {preview.header ? <Header header={preview.header} /> : null}
            <p class="chat-body">{preview.body}</p>
            {preview.footer ? <p class="chat-footer">{preview.footer}</p> : null}
          </div>
          <Buttons buttons={preview.buttons} />
        </div>
        {preview.cards?.length ? (
          <ul class="chat-cards" aria-label="Carousel">
            {preview.cards.map((card, i) => (
              <li class="chat-card" key={i} aria-label={`Card ${i + 1}`}>
                <Header header={card.header} />
                <p class="chat-body">{card.body}</p>
                <Buttons buttons={card.buttons} />
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </figure>
  );
}
