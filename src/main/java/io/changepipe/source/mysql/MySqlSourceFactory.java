package io.changepipe.source.mysql;

import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SourceDef;
import io.changepipe.source.Source;
import io.changepipe.source.SourceFactory;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code mysql} source plugin (MySQL and MariaDB). */
@ApplicationScoped
public class MySqlSourceFactory implements SourceFactory {

    @Override
    public String type() {
        return "mysql";
    }

    @Override
    public Source create(PipelineDef pipeline) {
        if (!(pipeline.source() instanceof SourceDef.MySql def)) {
            throw new IllegalArgumentException("pipeline " + pipeline.name() + ": source type " + pipeline.source().type() + " is not mysql");
        }
        return new MySqlSource(pipeline.name(), def, pipeline.tableMappings(), MySqlSource.Settings.DEFAULT);
    }
}
