import { galleryIn } from "./helpers/gallery.ts";

galleryIn("de");
