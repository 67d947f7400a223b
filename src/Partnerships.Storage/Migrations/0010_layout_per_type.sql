-- A page keeps one layout per layout type and is drawn with one of them, its active layout. Every existing page has
-- exactly one layout, which stays its active one.
ALTER TABLE layouts ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX ux_layouts_page_type ON layouts(page_id, layout_type);
CREATE UNIQUE INDEX ux_layouts_page_active ON layouts(page_id) WHERE active = 1;
