package io.latentnlp.models.runtime;

import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;

/** The {@code lstm} family on the shipped Brown Gaussian bundle (word vocabulary). */
class LstmEncoderFamilyTest extends EncoderFamilyContract {

    @Override
    protected ModelBundle bundle() {
        return ShippedModels.load(ShippedModels.GAUSSIAN_32);
    }

    @Override
    protected String familyName() {
        return LstmEncoderFamily.NAME;
    }

}
