import { z } from 'zod';

/** A Turnstile token as the widget hands it over. */
export const turnstileToken = z.string().min(1, '请完成人机验证').max(2048);

/** A typed code, before normalisation (the check character is verified separately). */
export const codeInput = z.string().min(1, '请输入参与码').max(40);
